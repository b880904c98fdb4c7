"""The live status lists stay cheap: the page reads only the rows it shows, a refresh reads the shared
status board (not the database per card) and redraws only the cards of files in flight."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from core import live_status, uploads
from core.db import get_engine, session_scope
from tests.factories import make_user
from tests.ui.live_fixtures import Counted, fragment_ids, set_file, tick
from tests.ui.pages_fixtures import days_csv, ingest, open_page
from ui import chart_warmup, explorer_prefetch

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")
FILES = 40


def upload_many(user, count: int) -> None:
    with session_scope() as session:
        for i in range(count):
            file = uploads.create_upload(session, actor=user, name=f"f{i}.csv", data=days_csv(3 + i))
            file.status, file.error_text = "error", "not read in this test"


def test_the_upload_pages_status_list_reads_only_the_files_it_shows(monkeypatch):
    admin = make_user("root@example.com", role="admin")
    anna = make_user("anna@example.com")
    upload_many(anna, FILES)
    upload_many(admin, 3)
    statements: list[str] = []

    def after(conn, cursor, statement, parameters, context, executemany):
        if "FROM social_files" in statement and "ORDER BY social_files.created_at DESC" in statement:
            statements.append(statement)

    event.listen(get_engine(), "after_cursor_execute", after)
    try:
        at = open_page("pages/upload.py", admin)
    finally:
        event.remove(get_engine(), "after_cursor_execute", after)
    assert not at.exception
    assert statements, "the page lists files"
    for statement in statements:  # none reads every file to keep ten (or the admin's own, or pending)
        assert "LIMIT" in statement or "WHERE social_files.status IN" in statement, statement


def in_flight(user, name: str, *, progress: int = 10):
    with session_scope() as session:
        file = uploads.create_upload(session, actor=user, name=name, data=days_csv(90 + len(name)))
        file.status, file.progress = "processing", progress
        return file.id


@pytest.mark.parametrize("page", ["pages/upload.py", "pages/history.py", "pages/dashboard.py"])
def test_a_refresh_reads_the_board_once_and_redraws_only_the_cards_in_flight(page, clock, enqueued):
    anna = make_user("anna@example.com")
    make_user("root@example.com", role="admin")
    done = [ingest(anna, days_csv(20 + i), name=f"done{i}.csv") for i in range(3)]
    moving = [in_flight(anna, "a.csv"), in_flight(anna, "bb.csv")]
    at = open_page(page, anna)
    assert not at.exception
    assert len(fragment_ids(at)) == 2, "one live card per file in flight, none for finished files"
    set_file(moving[0], progress=70)
    clock.later()
    with Counted() as refresh:
        tick(at)
    assert not at.exception
    assert refresh.queries == 1, "both cards read one board, and the board reads the database once"
    assert refresh.cards == {str(i) for i in moving}, "finished cards are not drawn again"
    assert not refresh.cards & {str(i) for i in done}
    assert any("70 %" in p.proto.text for p in at.get("progress")), "the card shows the new progress"
    with Counted() as again:  # within FRESH_S: the cached board, no query
        tick(at)
    assert again.queries == 0


def badges(at) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]


def test_a_file_that_finishes_redraws_the_page_once_and_its_timer_stops(clock, enqueued):
    anna = make_user("anna@example.com")
    make_user("root@example.com", role="admin")
    file_id = ingest(anna, days_csv(30), name="soon.csv")
    set_file(file_id, status="processing", progress=90)
    at = open_page("pages/upload.py", anna)
    assert badges(at) == [":blue-badge[:material/autorenew: Processing]"]
    assert len(fragment_ids(at)) == 1
    set_file(file_id, status="ready", progress=100)
    clock.later()
    with Counted() as refresh:
        tick(at)
    assert not at.exception
    assert refresh.timers == 0, "the page ran again in full with no file in flight: no timer"
    assert fragment_ids(at) == []
    assert badges(at) == [":green-badge[:material/check_circle: Ready]"]


def test_a_page_with_no_file_in_flight_starts_no_timer(clock):
    anna = make_user("anna@example.com")
    make_user("root@example.com", role="admin")
    ingest(anna, days_csv(30), name="done.csv")
    for page in ("pages/upload.py", "pages/history.py", "pages/dashboard.py"):
        with Counted() as opened:
            at = open_page(page, anna)
        assert not at.exception
        assert opened.timers == 0 and fragment_ids(at) == [], page


def test_the_board_is_scoped_and_a_file_queued_after_the_last_read_is_not_taken_for_finished(clock):
    anna, bob = make_user("anna@example.com"), make_user("bob@example.com")
    board = live_status.board
    since = board.now()
    mine = in_flight(anna, "mine.csv")
    fresh, status = board.look(actor=anna, file_id=mine, since=since)
    assert fresh and status is not None and status.progress == 10
    assert board.look(actor=bob, file_id=mine, since=since) == (True, None), "not bob's file"
    later = in_flight(anna, "later.csv")
    assert board.look(actor=anna, file_id=later, since=board.now() + 0.1) == (False, None), (
        "a board read before the page read the file says nothing about it"
    )


def test_a_rerun_of_a_signed_in_page_does_not_ask_again_whether_setup_is_due(clock):
    anna = make_user("anna@example.com")
    make_user("root@example.com", role="admin")
    at = open_page("pages/upload.py", anna)
    asked: list[str] = []

    def after(conn, cursor, statement, parameters, context, executemany):
        if "WHERE users.role =" in statement:
            asked.append(statement)

    event.listen(get_engine(), "after_cursor_execute", after)
    try:
        at.run()
    finally:
        event.remove(get_engine(), "after_cursor_execute", after)
    assert not at.exception
    assert asked == [], "the session saw an administrator once; a rerun does not ask again"


def warm_ups(at) -> int:
    """The off-screen containers (ui.chart_warmup) the last run drew, each with the Explorer's views
    chart (its two lines), a top-posts table with the Explorer's columns and, disabled, one of each
    kind of widget the Explorer opens with."""
    blocks = list(_keyed(at.main, chart_warmup.KEY))
    for block in blocks:
        [chart], [table] = block.get("plotly_chart"), block.dataframe
        assert [t["name"] for t in json.loads(chart.proto.spec)["data"]] == ["Views", "Engagements"]
        assert list(table.value.columns) == ["Post", "Date", "Views", "Engagements", "ER, %", "Link"]
        widgets = [block.segmented_control, block.multiselect, block.selectbox, block.get("download_button")]
        assert [len(found) for found in widgets] == [1, 1, 1, 1]
        assert all(found[0].proto.disabled for found in widgets)
    return len(blocks)


def _keyed(node, key: str):
    if getattr(node, "key", None) == key:
        yield node
    for child in getattr(node, "children", {}).values():
        yield from _keyed(child, key)


def test_plotly_is_loaded_while_the_user_waits_not_inside_the_first_explorer_click(clock, enqueued):
    anna = make_user("anna@example.com")
    make_user("root@example.com", role="admin")
    assert warm_ups(open_page("pages/dashboard.py", anna)) == 1, "a sign-in lands here, no account yet"
    file_id = ingest(anna, days_csv(30), name="new.csv")
    set_file(file_id, status="processing", progress=40)
    at = open_page("pages/upload.py", anna)
    assert warm_ups(at) == 1, "while the file is processed"
    with Counted() as refresh:
        tick(at)
    assert refresh.cards == {str(file_id)} and refresh.charts == 0, "a refresh draws the card alone"
    set_file(file_id, status="ready", progress=100)
    clock.later()
    tick(at)
    assert fragment_ids(at) == [] and warm_ups(at) == 0, "nothing in flight: no chart drawn per run"


def test_a_card_whose_file_finishes_asks_for_the_explorers_opening_view_again(clock, enqueued, monkeypatch):
    asked = []
    monkeypatch.setattr(explorer_prefetch, "served", lambda: True)  # as under a real server
    monkeypatch.setattr(explorer_prefetch, "_pool", SimpleNamespace(submit=lambda *a: asked.append(a)))
    anna = make_user("anna@example.com")
    make_user("root@example.com", role="admin")
    ingest(anna, days_csv(30), name="first.csv")
    file_id = ingest(anna, days_csv(40), name="second.csv")
    set_file(file_id, status="processing", progress=40)
    at = open_page("pages/upload.py", anna)  # through the Dashboard, which asks once per session
    assert [a[1].id for a in asked] == [anna.id]
    clock.later()
    tick(at)
    assert len(asked) == 1, "still processing: nothing changed"
    set_file(file_id, status="ready", progress=100)
    clock.later()
    tick(at)
    assert not at.exception
    assert [a[1].id for a in asked] == [anna.id, anna.id], "the file changed the view: read it again"
