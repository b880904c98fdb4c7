"""Dashboard (Home KPIs) and History, through the router (AppTest), with role gating."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core import uploads
from core.db import session_scope
from core.formatting import kpi_change as kpi_delta
from tests.factories import make_user
from tests.ui.auth_fixtures import texts
from tests.ui.pages_fixtures import days_csv, ingest, open_page, stored
from ui.file_card import EMPTY_STATE

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


@pytest.fixture
def people():
    """An administrator (the app is set up) and two users."""
    return (
        make_user("root@example.com", role="admin"),
        make_user("anna@example.com"),
        make_user("ben@example.com"),
    )


def cards(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_dashboard_without_files_says_what_to_do(people):
    at = open_page("pages/dashboard.py", people[1])
    assert not at.exception
    assert EMPTY_STATE in texts(at)
    assert EMPTY_STATE.startswith("No files yet — upload a CSV export from YouTube, TikTok")
    assert not at.metric


def test_dashboard_cards_show_each_account_latest_28_days_against_the_28_before(people):
    _, anna, _ = people
    ingest(anna, days_csv(60), name="channel.csv", period_days=7)  # the upload's period no longer limits
    at = open_page("pages/dashboard.py", anna)
    assert not at.exception
    assert "channel" in texts(at)  # the account, named after the file
    # Days 33..60 (2 Feb – 29 Feb 2024, a leap year) against days 5..32 (see days_csv): hand-computed.
    # Views 2800 + Σ33..60 = 4102 vs 2800 + Σ5..32 = 3318; engagements 1302 + 28 + 27 vs 518 + 28 + 29.
    shown = cards(at)
    assert shown["Views"] == ("4,102", "+784 (+23.6 %)")
    assert shown["Engagements"] == ("1,357", "+782 (+136 %)")
    assert "Feb 2, 2024 – Feb 29, 2024, change vs the 28 days before" in texts(at)
    assert "Jan 1, 2024 – Feb 29, 2024 from 1 export" in texts(at)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"), "a sparkline is drawn"


def test_dashboard_groups_accounts_by_brand(people):
    from core import accounts

    _, anna, _ = people
    ingest(anna, days_csv(60), name="acme-youtube.csv")
    solo = ingest(anna, days_csv(30), name="solo.csv")  # joins her only account of that platform
    with session_scope() as session:
        brand = accounts.create_brand(session, actor=anna, name="Acme")
        acme = accounts.find_account(session, actor=anna, ref="acme-youtube")
        accounts.set_brand(session, actor=anna, account_id=acme.id, brand_id=brand.id)
        other = accounts.create_account(session, actor=anna, name="Solo", platform=acme.platform)
        accounts.move_file(session, actor=anna, file_id=solo, account_id=other.id)
    at = open_page("pages/dashboard.py", anna)
    assert not at.exception
    headers = [h.value for h in at.subheader]
    assert headers.index("Acme") < headers.index("Accounts in no brand")
    assert "Solo" in texts(at) and "acme-youtube" in texts(at)


def test_dashboard_lists_files_still_processing_with_their_progress(people, enqueued):
    _, anna, _ = people
    with session_scope() as session:
        file = uploads.create_upload(session, actor=anna, name="big.csv", data=days_csv(5))
        file.status, file.progress = "processing", 42
    at = open_page("pages/dashboard.py", anna)
    assert not at.exception
    assert "Processing" in texts(at)
    [bar] = at.get("progress")
    assert bar.proto.value == 42 and "42 %" in bar.proto.text
    assert "None of your files is ready yet" in texts(at)


def test_a_user_never_sees_another_users_file_on_the_dashboard(people):
    admin, anna, ben = people
    ingest(anna, days_csv(60), name="anna-secret.csv")
    at = open_page("pages/dashboard.py", ben)
    assert "anna-secret" not in texts(at) and not at.metric
    at = open_page("pages/dashboard.py", admin)
    assert "anna-secret" not in texts(at), "an admin sees their own accounts by default"
    at.toggle(key="dash_everyone").set_value(True).run()
    assert "anna-secret" in texts(at) and "anna@example.com" in texts(at)
    assert cards(at)["Views"][0] == "4,102"


def test_history_lists_only_the_users_files_and_everyones_for_the_admin(people):
    admin, anna, ben = people
    ingest(anna, days_csv(60), name="anna.csv")
    ingest(ben, b"date,views\n2024-01-01,5\n", name="ben.csv")
    at = open_page("pages/history.py", anna)
    assert not at.exception
    assert "anna.csv" in texts(at) and "ben.csv" not in texts(at)
    assert "60 rows" in texts(at) and "Last 30 days" in texts(at)
    at = open_page("pages/history.py", admin)
    assert "anna.csv" in texts(at) and "ben.csv" in texts(at)
    assert "owner anna@example.com" in texts(at) and "owner ben@example.com" in texts(at)


def test_history_without_files_says_what_to_do(people):
    at = open_page("pages/history.py", people[2])
    assert not at.exception
    assert EMPTY_STATE in texts(at)


def test_history_open_shows_the_file_in_the_explorer(people):
    _, anna, _ = people
    file_id = ingest(anna, days_csv(60), name="anna.csv")
    ingest(anna, days_csv(10), name="newer.csv")
    at = open_page("pages/history.py", anna)
    at.button(key=f"history_open_{file_id}").click().run()
    assert not at.exception
    assert at.title[0].value == "Explorer"
    assert at.multiselect(key="explorer_files").value == [str(file_id)]


def test_history_deletes_a_file_after_confirmation(people):
    _, anna, _ = people
    file_id = ingest(anna, days_csv(60), name="anna.csv")
    folder = Path(stored(file_id).path).parent
    at = open_page("pages/history.py", anna)
    at.button(key=f"history_delete_{file_id}").click().run()
    assert stored(file_id) is not None  # one click only asks
    at.button(key=f"history_yes_{file_id}").click().run()
    assert not at.exception
    assert stored(file_id) is None and not folder.exists()
    assert "anna.csv" not in texts(at).replace("anna.csv: deleted.", "")


def test_history_retries_a_rejected_file(people, enqueued):
    _, anna, _ = people
    file_id = ingest(anna, b"date,views\n2024-01-01,12abc\n", name="bad.csv")
    assert stored(file_id).status == "error"
    at = open_page("pages/history.py", anna)
    assert stored(file_id).error_text in [e.value for e in at.error]
    at.button(key=f"history_retry_{file_id}").click().run()
    assert not at.exception
    assert enqueued == [str(file_id)]
    assert stored(file_id).status == "queued"


def test_history_filters_by_status(people):
    _, anna, _ = people
    ingest(anna, days_csv(60), name="good.csv")
    ingest(anna, b"date,views\n2024-01-01,12abc\n", name="bad.csv")
    at = open_page("pages/history.py", anna)
    at.segmented_control(key="history_status").set_value("error").run()
    assert "bad.csv" in texts(at) and "good.csv" not in texts(at)


def test_a_user_cannot_delete_or_retry_another_users_file(people, enqueued):
    _, anna, ben = people
    file_id = ingest(anna, b"date,views\n2024-01-01,12abc\n", name="bad.csv")
    from ui import file_actions

    file_actions.delete(ben, stored(file_id))
    file_actions.retry(ben, stored(file_id))
    assert stored(file_id) is not None and stored(file_id).status == "error"
    assert enqueued == []


@pytest.mark.parametrize(
    ("code", "current", "previous", "shown"),
    [
        ("views", 1500, 1000, "+500 (+50 %)"),
        ("views", 999, 1000, "-1 (-0.1 %)"),
        ("views", 5, 0, "+5"),  # no % of nothing
        ("er_views", Decimal("1"), Decimal("1.5"), "-0.5 pp (-33.3 %)"),
        ("er_views", Decimal("2.004"), Decimal("2.001"), "±0 pp (+0.1 %)"),
        ("views", None, 1000, None),
    ],
)
def test_kpi_changes_read_as_people_expect(code, current, previous, shown):
    assert kpi_delta(code=code, current=current, previous=previous) == shown
