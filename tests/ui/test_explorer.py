"""The Explorer page (AppTest): the file's period by default, filters that change the numbers,
comparison, top posts, definitions on hover, and nobody else's file by any route."""

from __future__ import annotations

import html
from datetime import date

import pytest

from tests.factories import make_user, statements
from tests.ui.auth_fixtures import app, sign_in, texts
from tests.ui.pages_fixtures import (
    chart_tabs,
    days_csv,
    figures,
    html_text,
    ingest,
    open_chart,
    open_page,
    posts_csv,
)

pytestmark = pytest.mark.usefixtures("routed")
BOTH = pytest.mark.parametrize("db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db(request):
    """SQLite, or the backend a test asks for with @BOTH."""
    backend = getattr(request, "param", "sqlite")
    return request.getfixturevalue("sqlite_db" if backend == "sqlite" else "pg_db")


@pytest.fixture
def people(db):
    return (
        make_user("root@example.com", role="admin"),
        make_user("anna@example.com"),
        make_user("ben@example.com"),
    )


def metric_cells(at, code: str) -> list[str]:
    """The values in a metric's row of the catalogue table, one per file."""
    row = html_text(at).split(f'<tr data-code="{code}">', 1)[1].split("</tr>", 1)[0]
    return [html.unescape(cell.split("</td>")[0]) for cell in row.split("<td>")[1:]]


def trace_points(at, title: str) -> list[list]:
    return [trace["x"] for trace in figures(at)[title]["data"]]


def test_no_ready_file_says_what_to_do(people):
    at = open_page("pages/explorer.py", people[1], view="files")
    assert not at.exception
    assert "No file is ready to explore yet." in texts(at)


def test_the_newest_file_over_its_period_is_shown_by_default(people):
    _, anna, _ = people
    file_id = ingest(anna, days_csv(60), name="days.csv", period_days=30)
    at = open_page("pages/explorer.py", anna, view="files")
    assert not at.exception
    assert at.multiselect(key="explorer_files").value == [str(file_id)]
    assert at.date_input(key=f"explorer_range_{file_id}").value == (date(2024, 1, 31), date(2024, 2, 29))
    assert metric_cells(at, "views") == ["4,365"]  # days 31..60, as on the dashboard
    assert metric_cells(at, "engagements") == ["1,425"]
    assert metric_cells(at, "best_weekday") == ["Tuesday"]  # mean engagements 49.5 (Thursdays: 48)
    # A tab for each chart the file has data for; only the open one is drawn.
    assert chart_tabs(at) == ["Views and engagements", "ER", "Subscribers", "By weekday"]
    assert "No posts in these files." in texts(at)
    assert set(figures(at)) == {"Views and engagements"}
    assert len(trace_points(at, "Views and engagements")[0]) == 30
    assert set(figures(open_chart(at, "By weekday"))) == {"Engagements by weekday (mean per day)"}
    by_weekday = figures(at)["Engagements by weekday (mean per day)"]["data"][0]["y"]
    assert by_weekday == [48.25, 49.5, 47.2, 48.0, 45.25, 46.5, 47.75]  # Monday first; Tuesday best


@BOTH
def test_the_date_range_changes_every_number(people):
    _, anna, _ = people
    file_id = ingest(anna, days_csv(60), name="days.csv")
    at = open_page("pages/explorer.py", anna, view="files")
    at.date_input(key=f"explorer_range_{file_id}").set_value((date(2024, 2, 1), date(2024, 2, 10))).run()
    assert not at.exception
    assert metric_cells(at, "views") == ["1,365"]  # days 32..41: 10 × 100 + 32 + … + 41
    assert metric_cells(at, "subs_growth") == ["18"]  # 1082 − 1064
    views = figures(at)["Views and engagements"]["data"][0]
    assert views["y"] == [100 + i for i in range(32, 42)]


@pytest.mark.parametrize(("grain", "buckets"), [("day", 30), ("week", 5), ("month", 2)])
def test_the_grain_groups_the_charts(people, grain, buckets):
    _, anna, _ = people
    ingest(anna, days_csv(60), name="days.csv")
    at = open_page("pages/explorer.py", anna, view="files")
    at.segmented_control(key="explorer_grain").set_value(grain).run()
    assert not at.exception
    views = figures(at)["Views and engagements"]["data"][0]
    assert len(views["x"]) == buckets
    assert sum(views["y"]) == 4365  # the same days, grouped differently
    if grain == "month":
        assert views["y"] == [100 + 31, sum(100 + i for i in range(32, 61))]


def row_scans():
    """The statements that aggregate or rank a file's rows, as the page runs them (SQL text)."""
    return statements(lambda sql: "FROM raw_data" in sql and ("GROUP BY" in sql or "LIMIT" in sql))


@BOTH
def test_one_scan_of_the_rows_serves_every_grain(people):
    _, anna, _ = people
    file_id = ingest(anna, posts_csv(), name="posts.csv")
    at = sign_in(app("Home.py"), anna).run()  # the dashboard first, as open_page does
    at.switch_page("pages/explorer.py")
    at.query_params["view"] = "files"
    with row_scans() as first:
        at.run()
    assert len(first) == 1  # the top posts: the per-date figures read the file's day totals
    with row_scans() as regrouped:
        for grain in ("week", "month", "day"):
            at.segmented_control(key="explorer_grain").set_value(grain).run()
            assert not at.exception
            assert sum(figures(at)["Views and engagements"]["data"][0]["y"]) == 660
    assert regrouped == []
    with row_scans() as ranged:
        at.date_input(key=f"explorer_range_{file_id}").set_value((date(2024, 3, 2), date(2024, 3, 3))).run()
    assert len(ranged) == 1 and metric_cells(at, "views") == ["260"]


def test_subscribers_as_a_count_or_as_the_net_change(people):
    _, anna, _ = people
    ingest(anna, days_csv(60), name="days.csv")
    at = open_chart(open_page("pages/explorer.py", anna, view="files"), "Subscribers")
    level = figures(at)["Subscribers"]["data"][0]["y"]
    assert level[0] == 1062 and level[-1] == 1120
    at.segmented_control(key="explorer_subs").set_value("net").run()
    net = figures(at)["Subscribers gained (net) per day"]["data"][0]
    assert net["type"] == "bar" and sum(net["y"]) == 1120 - 1062


def test_two_files_are_compared_side_by_side_and_can_be_aligned(people):
    _, anna, _ = people
    first = ingest(anna, days_csv(60), name="january.csv")
    second = ingest(anna, days_csv(20, start=date(2024, 6, 1)), name="june.csv", period_days=7)
    at = open_page("pages/explorer.py", anna, view="files")
    at.multiselect(key="explorer_files").set_value([str(first), str(second)]).run()
    assert not at.exception
    assert metric_cells(at, "views") == ["4,365", "819"]  # june: days 14..20, 7 × 100 + 14 + … + 20
    traces = figures(at)["Views and engagements"]["data"]
    assert len(traces) == 4  # views and engagements of each file
    assert traces[2]["x"][0] == "2024-06-14"
    at.toggle(key="explorer_align").set_value(True).run()
    traces = figures(at)["Views and engagements"]["data"]
    assert traces[0]["x"][:3] == [1, 2, 3] and traces[2]["x"] == [1, 2, 3, 4, 5, 6, 7]


def test_top_posts_sort_by_views_engagements_or_er(people):
    _, anna, _ = people
    ingest(anna, posts_csv(), name="posts.csv")
    at = open_page("pages/explorer.py", anna, view="files")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Post"]) == ["Dogs", "Fish", "Cats", "Birds", "Owls"]
    at.selectbox(key="explorer_top_order").select("engagements").run()
    assert list(at.dataframe[0].value["Post"]) == [
        "Birds",
        "Cats",
        "Dogs",
        "Owls",
        "Fish",
    ]
    at.selectbox(key="explorer_top_order").select("er").run()
    table = at.dataframe[0].value
    assert list(table["Post"]) == ["Owls", "Birds", "Cats", "Dogs", "Fish"]
    assert list(table["ER, %"]) == [50.0, 40.0, 10.0, 3.0, 1.0]


def test_every_metric_has_its_definition_on_hover(people):
    from core.metrics import CATALOGUE

    _, anna, _ = people
    ingest(anna, days_csv(60), name="days.csv")
    page = html_text(open_page("pages/explorer.py", anna, view="files"))
    for metric in CATALOGUE:
        assert f'<abbr title="{html.escape(metric.definition)}">{html.escape(metric.name)}</abbr>' in page


@BOTH
def test_another_users_file_cannot_be_opened_by_its_address(people):
    admin, anna, ben = people
    secret = ingest(anna, days_csv(60), name="anna-secret.csv")
    ingest(ben, days_csv(10), name="ben.csv")
    at = open_page("pages/explorer.py", ben, file=str(secret))
    assert not at.exception
    assert "That file is not available" in texts(at)
    assert "anna-secret.csv" not in texts(at) + html_text(at)
    assert str(secret) not in at.multiselect(key="explorer_files").value
    assert "4,365" not in html_text(at)
    at = open_page("pages/explorer.py", admin, file=str(secret))
    assert at.multiselect(key="explorer_files").value == [str(secret)]
    assert metric_cells(at, "views") == ["4,365"]


@BOTH
def test_another_users_file_cannot_be_forced_through_session_state(people):
    _, anna, ben = people
    secret = ingest(anna, days_csv(60), name="anna-secret.csv")
    at = open_page("pages/explorer.py", ben, view="files")
    assert "No file is ready to explore yet." in texts(at)
    at.session_state["explorer_files"] = [str(secret)]
    at.run()
    assert not at.exception
    assert "anna-secret.csv" not in texts(at) + html_text(at) and not figures(at)
    mine = ingest(ben, days_csv(10), name="ben.csv")
    at.session_state["explorer_files"] = [str(secret), str(mine)]
    at.run()
    assert at.multiselect(key="explorer_files").value == [str(mine)]
    assert "anna-secret.csv" not in texts(at) + html_text(at)
