"""The Explorer on accounts and brands (AppTest): merged timelines, presets, comparison, scoping."""

from __future__ import annotations

from datetime import date

import pytest

from core import accounts, pipeline, uploads
from core.db import session_scope
from tests.factories import make_user
from tests.ui.auth_fixtures import texts
from tests.ui.pages_fixtures import chart_tabs, days_csv, html_text, ingest, open_chart, open_page

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


@pytest.fixture
def people():
    return (
        make_user("root@example.com", role="admin"),
        make_user("anna@example.com"),
        make_user("ben@example.com"),
    )


def two_exports(user) -> int:
    """October's export (1–31 Oct) and November's (25 Oct – 30 Nov) of one channel: one account."""
    ingest(user, days_csv(31, start=date(2024, 10, 1)), name="october.csv")
    ingest(user, days_csv(37, start=date(2024, 10, 25)), name="november.csv")
    with session_scope() as session:
        [account] = accounts.list_accounts(session, actor=user)
        return account.id


def cards(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_an_account_opens_on_its_whole_merged_timeline(people):
    _, anna, _ = people
    account_id = two_exports(anna)
    at = open_page("pages/explorer.py", anna)
    assert not at.exception
    assert at.multiselect(key="explorer_scopes").value == [f"account:{account_id}"]
    # 1–24 Oct from October's export (Σ 100+i, i=1..24 = 2,700), the rest from November's, which
    # holds the overlapping week too (Σ 100+i, i=1..37 = 4,403): one continuous timeline.
    assert cards(at)["Views"][0] == "7,103"
    assert "from 2 exports; 7 days taken from the newer one" in texts(at)
    views = next(f for t, f in figures(at).items() if t == "Views and engagements")
    [trace] = [d for d in views["data"] if d["name"].startswith("Views")]
    assert len(trace["y"]) == 61  # 1 Oct – 30 Nov, one point a day, no gap and no double
    address = {k: at.query_params[k] for k in ("view", "account")}
    assert {k: v if isinstance(v, str) else v[0] for k, v in address.items()} == {
        "view": "accounts",
        "account": str(account_id),
    }


def test_this_month_against_the_previous_30_days(people):
    _, anna, _ = people
    two_exports(anna)
    at = open_page("pages/explorer.py", anna)
    at.selectbox(key="explorer_preset").select("this_month").run()
    assert not at.exception
    # November (i = 8..37 of November's export) = 3,675 against 2–31 Oct: 2–24 Oct from October's
    # (2,599) and 25–31 Oct from November's (728) = 3,327.
    assert cards(at)["Views"] == ("3,675", "+348 (+10.5 %)")
    assert "compared with Oct 2, 2024 – Oct 31, 2024" in texts(at)
    at.selectbox(key="explorer_compare").select("year").run()
    assert "compared with Nov 1, 2023 – Nov 30, 2023" in texts(at)
    assert cards(at)["Views"][1] in ("", None)  # no data a year earlier: no change to show


def test_a_brand_sums_its_accounts_and_breaks_them_down_by_platform(people):
    _, anna, _ = people
    export = days_csv(10, start=date(2024, 5, 1))
    for name, platform, data in (
        ("yt.csv", "youtube", export),
        ("tt.csv", "tiktok", export.replace(b"\n", b"\r\n")),
    ):
        with session_scope() as session:
            file = uploads.create_upload(session, actor=anna, name=name, data=data, platform=platform)
            file_id = file.id
        pipeline.process_file(file_id)
    with session_scope() as session:
        brand = accounts.create_brand(session, actor=anna, name="Acme")
        for account in accounts.list_accounts(session, actor=anna):
            accounts.set_brand(session, actor=anna, account_id=account.id, brand_id=brand.id)
        brand_id = brand.id
    at = open_page("pages/explorer.py", anna, brand=str(brand_id))
    assert not at.exception
    assert at.multiselect(key="explorer_scopes").value == [f"brand:{brand_id}"]
    assert cards(at)["Views"][0] == "2,110"  # 2 × Σ 100+i, i=1..10
    assert "Acme by platform" in [s.value for s in at.subheader]
    table = html_text(at)
    assert "YouTube" in table and "TikTok" in table and "1,055" in table


def test_another_users_account_is_not_shown(people):
    _, anna, ben = people
    secret = two_exports(anna)
    ingest(ben, days_csv(5), name="mine.csv")
    at = open_page("pages/explorer.py", ben, account=str(secret))
    assert not at.exception
    assert "That account or brand is not available" in texts(at)
    assert f"account:{secret}" not in at.multiselect(key="explorer_scopes").value
    assert "7,103" not in texts(at)


def figures(at):
    from tests.ui.pages_fixtures import figures as all_figures

    return all_figures(at)


def test_the_written_summary_heads_each_scope_over_the_range_shown(people):
    _, anna, _ = people
    two_exports(anna)
    at = open_page("pages/explorer.py", anna)
    at.selectbox(key="explorer_preset").select("this_month").run()
    assert not at.exception
    # November's 3,675 views against 3,327 in 2–31 Oct (as the cards): the same range as the cards.
    [summary] = [i.value for i in at.info]
    assert summary.startswith("Views +10.46%, engagements +89.92%")
    assert "best day — Thursday" in summary
    at.selectbox(key="explorer_compare").select("year").run()
    [summary] = [i.value for i in at.info]
    assert "Views +" not in summary  # nothing a year earlier: no change to write about


def test_best_hour_sums_engagements_by_the_hour_posts_went_out(people):
    _, anna, ben = people
    rows = [  # date, post, published at (UTC), views, likes, comments
        ("2024-03-01", "p1", "2024-03-01T09:15:00+00:00", 100, 10, 1),
        ("2024-03-01", "p2", "2024-03-01T18:40:00+00:00", 300, 9, 0),
        ("2024-03-02", "p3", "2024-03-02T09:05:00+00:00", 50, 20, 3),
        ("2024-03-03", "p4", "2024-03-03T23:59:00+00:00", 200, 2, 2),
    ]
    lines = ["date,post_id,published_at,views,likes,comments"] + [",".join(map(str, r)) for r in rows]
    ingest(anna, ("\n".join(lines) + "\n").encode(), name="posts.csv")
    ingest(ben, days_csv(5), name="days.csv")  # day rows only: no publication times
    at = open_page("pages/explorer.py", anna)
    assert not at.exception
    assert "By hour posted" in chart_tabs(at) and "Engagements by hour posted (UTC)" not in figures(at)
    chart = figures(open_chart(at, "By hour posted"))["Engagements by hour posted (UTC)"]
    [bars] = chart["data"]
    by_hour = dict(zip(bars["x"], bars["y"], strict=True))
    assert sorted(by_hour) == list(range(24))
    assert {h: v for h, v in by_hour.items() if v} == {9: 11 + 23, 18: 9, 23: 4}
    at = open_page("pages/explorer.py", ben)
    assert not at.exception
    assert chart_tabs(at) == ["Views and engagements", "ER", "Subscribers", "By weekday"]  # no hours


def test_a_long_timeline_opens_by_week_with_its_incomplete_weeks_marked(people):
    _, anna, _ = people
    ingest(anna, days_csv(200, start=date(2024, 1, 3)), name="long.csv")  # Wed 3 Jan – Sat 20 Jul 2024
    at = open_page("pages/explorer.py", anna)
    assert not at.exception
    assert at.segmented_control(key="explorer_grain").value == "week"  # 200 days: weekly points
    chart = figures(at)["Views and engagements"]
    [views] = [d for d in chart["data"] if d["name"].startswith("Views")]
    assert len(views["x"]) == 29 and views["x"][0] == "2024-01-01" and views["x"][-1] == "2024-07-15"
    assert sum(views["y"]) == 40_100 and views["y"][0] == 101 + 102 + 103 + 104 + 105  # Wed–Sun only
    # The first week (from Mon 1 Jan) and the last (to Sat 20 Jul) are shaded and say so.
    assert [a["text"] for a in chart["layout"]["annotations"]] == ["incomplete week"] * 2
    assert [s["x0"][:10] for s in chart["layout"]["shapes"]] == ["2023-12-28", "2024-07-11"]
    assert "incomplete buckets, not dips: Jan 1, 2024 – Jan 7, 2024, Jul 15, 2024 – Jul 20, 2024" in texts(at)
    er = figures(open_chart(at, "ER"))["ER by views, %"]["data"][0]
    assert er["mode"] == "lines+markers"
    open_chart(at, "Views and engagements")
    at.selectbox(key="explorer_preset").select("last_28").run()  # not picked: it follows the range
    assert at.segmented_control(key="explorer_grain").value == "day"
    assert len(figures(at)["Views and engagements"]["data"][0]["x"]) == 28
    at.selectbox(key="explorer_preset").select("all").run()
    assert at.segmented_control(key="explorer_grain").value == "week"
    at.segmented_control(key="explorer_grain").set_value("day").run()
    chart = figures(at)["Views and engagements"]
    assert len(chart["data"][0]["x"]) == 200 and not chart["layout"].get("shapes")
    assert figures(open_chart(at, "ER"))["ER by views, %"]["data"][0]["mode"] == "lines"  # no marker each
    open_chart(at, "Views and engagements")
    at.selectbox(key="explorer_preset").select("last_7").run()
    assert at.segmented_control(key="explorer_grain").value == "day"  # picked: it stays
    at.selectbox(key="explorer_preset").select("all").run()
    assert at.segmented_control(key="explorer_grain").value == "day"
    assert len(figures(at)["Views and engagements"]["data"][0]["x"]) == 200
