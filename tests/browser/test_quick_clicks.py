"""Clicks made the moment a screen appears, as a quick user makes them, in a real browser.

The login cookie is written by a component that asks for a rerun of its own about a second after
each sign-in and sign-out. A "Sign in" clicked during that second used to be lost (the form simply
stayed on screen) in about half of the tries of this test; see ui/auth.py, `submit_form`."""

from __future__ import annotations

import pytest

from tests.browser.steps import EMAIL, PASSWORD, first_run_setup, log_out, visible_input

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROUNDS = 5


def test_signing_in_again_at_once_after_signing_out(app_url, page, shots):
    page.goto(app_url)
    first_run_setup(page, shots)
    for _ in range(ROUNDS):
        log_out(page, shots)  # waits only until the form shows, not until the app is idle
        visible_input(page, "Email").fill(EMAIL)
        visible_input(page, "Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).filter(visible=True).first.click()
        page.get_by_role("heading", name="Dashboard", exact=True).wait_for(timeout=10_000)
        # The sidebar slides in after the sign-in screen (which has none): wait for it, don't sample it.
        page.get_by_text("Signed in as Mira Marketer · admin").wait_for(timeout=10_000)
