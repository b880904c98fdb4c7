"""A page clicked the moment the Dashboard appears after signing in stays open, in a real browser.

The login cookie used to be written by a component in an iframe of its own (extra-streamlit-
components' CookieManager) that, once loaded, reported back and so asked for a rerun of the page it
had been drawn on. A sidebar link clicked before that report was undone when the server answered
the click late, as a busy server does (3-13 s after a sign-in with ten sessions on two cores): the
report, folded into the pending rerun, named the Dashboard again. Here the app's WebSocket is
proxied and the server's messages after the click held back for a while, as a busy server would."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest

from core.auth import COOKIE_NAME
from tests.browser.steps import EMAIL, PASSWORD, first_run_setup, go_to, log_out, settle, visible_input

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROUNDS = 3
BUSY_MS = 3_000  # how long the server's answer to the click is held back
WATCH_S = 5  # how long the page is watched once it has opened


class SlowServer:
    """The app's WebSocket through Playwright: while `busy`, the server's messages wait in order."""

    def __init__(self, page):
        self.busy, self.held, self.to_page = False, [], None
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        self.to_page = ws
        ws.on_message(server.send)
        server.on_message(self._from_server)

    def _from_server(self, message) -> None:
        if self.busy:
            self.held.append(message)
        else:
            self.to_page.send(message)

    def answer(self) -> None:
        """The server catches up: what it sent meanwhile reaches the page, in order."""
        self.busy = False
        for message in self.held:
            self.to_page.send(message)
        self.held.clear()


def _on_upload(page) -> bool:
    heading = page.get_by_role("heading", name="Upload", exact=True)
    return urlsplit(page.url).path.rstrip("/").endswith("/upload") and heading.count() == 1


def _left_upload(page) -> list[str]:
    """The pages seen instead of Upload, sampled every 0.1 s for WATCH_S seconds."""
    seen, end = [], time.monotonic() + WATCH_S
    while time.monotonic() < end:
        if not _on_upload(page):
            seen.append(urlsplit(page.url).path + " " + " ".join(page.locator("h1").all_inner_texts()))
        page.wait_for_timeout(100)
    return seen


def test_a_page_clicked_at_once_after_signing_in_stays_open(app_url, page, shots):
    slow = SlowServer(page)
    page.goto(app_url)
    first_run_setup(page, shots)
    for round_ in range(1, ROUNDS + 1):
        go_to(page, "Dashboard")  # signed out there, the sign-in opens the Dashboard again
        log_out(page, shots)
        settle(page)
        visible_input(page, "Email").fill(EMAIL)
        visible_input(page, "Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).filter(visible=True).first.click()
        page.get_by_role("heading", name="Dashboard", exact=True).wait_for(timeout=15_000)
        slow.busy = True
        page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Upload", exact=True).click()
        page.wait_for_timeout(BUSY_MS)
        slow.answer()
        page.get_by_role("heading", name="Upload", exact=True).wait_for(timeout=15_000)
        elsewhere = _left_upload(page)
        shots(f"round {round_} watched")
        assert not elsewhere, f"round {round_}: the Upload page was left: {elsewhere[:3]}"
        cookie = {c["name"]: c for c in page.context.cookies()}.get(COOKIE_NAME)
        assert cookie is not None, "the login cookie was never written"
        assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert cookie["expires"] > time.time() + 6 * 86400  # a week, as core.auth.COOKIE_DAYS says
    # The cookie is the one the server issued: a new tab of this browser opens signed in.
    tab = page.context.new_page()
    tab.goto(f"{app_url}/history")
    tab.get_by_role("heading", name="History", exact=True).wait_for(timeout=15_000)
    assert tab.get_by_text("Signed in as Mira Marketer · admin").count() == 1
    tab.close()
