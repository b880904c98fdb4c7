"""The Explorer's best-hour section shows when the account's followers are online (AppTest), from
TikTok's follower activity export beside the account's daily Overview."""

from __future__ import annotations

import pytest

from tests.conftest import REAL_EXPORTS
from tests.factories import make_user
from tests.ui.auth_fixtures import texts
from tests.ui.pages_fixtures import chart_tabs, figures, ingest, open_chart, open_page

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")
TITLE = "When your followers are online"


def test_the_explorer_shows_when_the_followers_are_online():
    make_user("root@example.com", role="admin")  # past first-run setup
    anna, ben = make_user("anna@example.com"), make_user("ben@example.com")
    ingest(anna, REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__Overview.csv")
    ingest(anna, REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__FollowerActivity.csv")
    ingest(ben, REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__Overview.csv")
    at = open_chart(open_page("pages/explorer.py", anna), "Followers online")
    assert not at.exception
    [line] = figures(at)[TITLE]["data"]
    online = dict(zip(line["x"], line["y"], strict=True))
    assert sorted(online) == list(range(24))
    # The means of the file's 7 days (hours 18–23 of the export day, still to come, left out).
    assert (round(online[0], 2), round(online[13], 2), round(online[18], 2)) == (433.14, 1207.14, 1131.67)
    at = open_page("pages/explorer.py", ben)
    assert not at.exception
    assert "Followers online" not in chart_tabs(at)


def test_an_account_with_only_follower_activity_opens_on_its_days():
    """Every page shows the activity file as ready, and its account opens in the Explorer on the
    activity's own days (it has no timeline rows) with the followers-online chart."""
    make_user("root@example.com", role="admin")
    anna = make_user("anna@example.com")
    ingest(anna, REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__FollowerActivity.csv")
    for page in ("pages/dashboard.py", "pages/history.py", "pages/accounts.py", "pages/reports.py"):
        at = open_page(page, anna)
        assert not at.exception, page
    at = open_page("pages/explorer.py", anna)
    assert not at.exception
    assert "no ready export yet" not in texts(at)
    assert chart_tabs(at) == ["Followers online"]  # its only chart, open
    [line] = figures(at)[TITLE]["data"]
    assert round(dict(zip(line["x"], line["y"], strict=True))[13], 2) == 1207.14
