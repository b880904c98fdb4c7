"""A shared link opened signed out: the sign-in screen, then that same page with its query, in a real browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.steps import EMAIL, PASSWORD, click_button, first_run_setup, log_out, visible_input

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_link_opened_signed_out_opens_after_signing_in(app_url, page, shots):
    page.goto(app_url)
    first_run_setup(page, shots)
    log_out(page, shots)
    page.goto(f"{app_url}/explorer?view=accounts&account=3")
    visible_input(page, "Password").wait_for()
    assert page.get_by_role("heading", name="Explorer", exact=True).count() == 0
    visible_input(page, "Email").fill(EMAIL)
    visible_input(page, "Password").fill(PASSWORD)
    click_button(page, "Sign in")
    page.get_by_role("heading", name="Explorer", exact=True).wait_for(timeout=15_000)
    shots("the linked page")
    address = urlsplit(page.url)
    assert address.path.rstrip("/").endswith("/explorer")
    assert parse_qs(address.query).get("view") == ["accounts"]
