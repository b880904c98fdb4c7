"""A live card in a real browser: while its file waits in the queue (a broker with no worker yet), the
page asks the status route and does not rerun; what the database then says reaches the card within
seconds, and only a change reruns it."""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime

import pytest

from tests.browser.conftest import serving
from tests.browser.steps import TIKTOK, choose_file, first_run_setup, go_to, settle
from tests.worker.harness import PREFIX_ENV, QUEUE_ENV
from ui import live


@pytest.fixture
def queued_app(tmp_path, redis_url, request):
    """The app sending its files to Redis, on a queue no worker reads: each upload stays queued."""
    import redis

    queue = f"sa-test-{uuid.uuid4().hex[:10]}"
    prefix = queue + ":"
    env = {"CELERY_BROKER_URL": redis_url, QUEUE_ENV: queue, PREFIX_ENV: prefix}
    with serving(tmp_path, getattr(request, "param", "serve.py"), **env) as url:
        yield url
    client = redis.Redis.from_url(redis_url)
    for key in [queue, *client.scan_iter(match=prefix + "*")]:
        client.delete(key)


def upload_to_the_queue(page, shots, url: str):
    """Set up the app at `url`, upload a file and wait until its card says it waits, the app idle."""
    page.goto(url)
    first_run_setup(page, shots)
    go_to(page, "Upload")
    choose_file(page, str(TIKTOK))
    page.locator("[data-testid='stFormSubmitButton'] button").filter(has_text="Upload").click()
    card = page.locator("[data-testid='stVerticalBlock'][class*='st-key-upload_card_']").first
    card.get_by_text("Waiting for a worker… 0 %").wait_for()
    settle(page)
    return card


def _set_file(db, **values) -> None:
    with sqlite3.connect(db) as conn:
        assignments = ", ".join(f"{name} = ?" for name in values)
        conn.execute(f"UPDATE social_files SET {assignments}", tuple(values.values()))  # the one file


def _status(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_queued_card_polls_the_route_without_rerunning_and_shows_each_change(
    queued_app, page, shots, tmp_path
):
    sent: list[str] = []  # what the page sends over its WebSocket: rerun requests, widget values
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/live/status" in request.url else None)
    card = upload_to_the_queue(page, shots, queued_app)
    page.wait_for_event("request", lambda request: "/live/status" in request.url, timeout=10_000)
    sent.clear(), asked.clear()
    page.wait_for_timeout(3_000)  # (Playwright records events only while one of its calls waits)
    assert len(asked) >= 4, f"the watcher asks the route about twice a second: {asked}"
    assert sent == [], "nothing changed: the page did not rerun"
    [watched] = {re.sub(r"&since=.*", "", url) for url in asked}
    shots("queued card")

    db = tmp_path / "storage" / "social_analytics.db"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    _set_file(db, status="processing", progress=75, heartbeat_at=now)  # as a worker would
    card.get_by_text("Reading and loading rows… 75 %").wait_for(timeout=3_000)
    assert sent, "the change reran the card"
    _set_file(db, status="error", error_text="The export ended in the middle of a row.")
    card.get_by_text("The export ended in the middle of a row.").wait_for(timeout=3_000)
    settle(page)
    asked.clear()
    page.wait_for_timeout(1_500)
    assert asked == [], "a card that left flight has no watcher"
    shots("card finished")

    assert _status(f"{watched}&since=0") == (200, {"fresh": True, "drawn": None}), "it left flight"
    forged = re.sub(r"ticket=[^&]+", "ticket=e30.e30.AAAA", watched)
    assert _status(f"{forged}&since=0")[0] == 403
    assert _status(f"{watched}&since=soon")[0] == 400


@pytest.mark.parametrize("queued_app", ["Home.py"], indirect=True)
def test_started_without_the_route_a_queued_card_reruns_on_a_timer_and_still_shows_each_change(
    queued_app, page, shots, tmp_path
):
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    card = upload_to_the_queue(page, shots, queued_app)
    sent.clear()
    page.wait_for_timeout(4_000)
    assert 2 <= len(sent) <= 4, f"about one rerun per {live.WATCH_MS + live.POLL_MS} ms: {len(sent)} in 4 s"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    _set_file(
        tmp_path / "storage" / "social_analytics.db", status="processing", progress=75, heartbeat_at=now
    )
    card.get_by_text("Reading and loading rows… 75 %").wait_for(timeout=3_000)
