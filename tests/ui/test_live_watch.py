"""A live card's watcher (ui/live.js) and the status route behind it (core.live_status.watch): the card
is watched, not timed; the route answers what the card would show, for the ticket's file and actor."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest

from core import auth, live_status
from core.config import get_settings
from core.db import session_scope
from core.models import SocialFile
from tests.factories import make_user
from tests.ui.live_fixtures import Counted, set_file, tick
from tests.ui.pages_fixtures import days_csv, ingest, open_page
from ui import live

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


def watchers(at) -> list[dict]:
    """The data of each live card's watcher (ui/live.js) the last run drew."""
    return [json.loads(found.proto.json) for found in at.get("bidi_component")]


def test_a_card_in_flight_is_watched_not_timed_and_its_status_reaches_the_screen_within_seconds(
    clock, enqueued
):
    anna = make_user("anna@example.com")
    make_user("root@example.com", role="admin")
    file_id = ingest(anna, days_csv(30), name="live.csv")
    set_file(file_id, status="processing", progress=40)
    with Counted() as opened:
        at = open_page("pages/upload.py", anna)
    assert opened.timers == 0, "no timer reruns the card: its watcher asks the status route"
    [data] = watchers(at)
    assert data["url"].startswith(live.ROUTE + "?ticket=")
    with session_scope() as session:
        assert data["drawn"] == live_status.drawn(session.get(SocialFile, file_id))
    # how often it asks plus the board's age (live_status.FRESH_S) is how stale a card can be;
    # with a run and a redraw it must stay under the 3 s the statuses may lag the database
    assert data["every"] / 1000 + live_status.FRESH_S <= 1.5
    set_file(file_id, progress=70)
    clock.later()
    tick(at)  # what the watcher's trigger does: rerun the card's fragment
    [again] = watchers(at)
    assert again["drawn"] != data["drawn"] and "|70|" in again["drawn"], "it watches what it drew now"


def _answer(data: dict) -> tuple[bool, str | None]:
    query = parse_qs(urlparse(data["url"]).query)
    return live_status.watch(query["ticket"][0], since=float(query["since"][0]))


def test_the_status_route_answers_for_the_ticket_s_file_and_actor_only(clock, enqueued):
    anna, bob = make_user("anna@example.com"), make_user("bob@example.com")
    make_user("root@example.com", role="admin")
    file_id = ingest(anna, days_csv(30), name="live.csv")
    set_file(file_id, status="processing", progress=40)
    [data] = watchers(open_page("pages/upload.py", anna))
    clock.later()
    assert _answer(data) == (True, data["drawn"]), "nothing changed"
    set_file(file_id, progress=55)
    assert _answer(data) == (True, data["drawn"]), "the board is read at most once per FRESH_S"
    clock.later()
    fresh, drawn = _answer(data)
    assert fresh and drawn != data["drawn"] and "|55|" in drawn
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        bobs = live_status.ticket(actor=bob, file=file)
        assert live_status.watch(bobs, since=0) == (True, None), "bob's ticket does not show anna's file"
        expired = live_status.ticket(actor=anna, file=file, now=time.time() - live_status.TICKET_S - 5)
    key = get_settings().auth_cookie_key
    cookie = auth.issue_token(user_id=anna.id, email=anna.email, key=key)
    other_key = jwt.encode(jwt.decode(bobs, options={"verify_signature": False}), "x" * 64, algorithm="HS256")
    for bad in (expired, cookie, other_key, "", "e30.e30.AAAA"):
        with pytest.raises(live_status.TicketInvalid):
            live_status.watch(bad, since=0)
    set_file(file_id, status="ready", progress=100)
    clock.later()
    assert _answer(data) == (True, None), "it left flight"
    assert live_status.watch(live_status.ticket(actor=anna, file=file), since=clock.now + 1) == (
        False,
        None,
    ), "a board read before the card was drawn says nothing about it"
    ticket = parse_qs(urlparse(data["url"]).query)["ticket"][0]
    assert auth.read_token(ticket, key=key) is None, "a ticket is no sign-in cookie"
