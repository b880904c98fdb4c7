"""The marketer's journey in a real browser: first-run admin setup → log out → log in → upload a real
TikTok export → it reaches Ready on screen without a reload → the KPI cards and a chart show the
right numbers → log out.

Extend the journey with `continue_from_explorer(page, shots)` at the end (see its docstring)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import pytest

from tests.conftest import REAL_EXPORTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIKTOK = REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__Overview.csv"
YOUTUBE = REAL_EXPORTS / "youtube__billmengg__YTAnalytics__Date.csv"
EMAIL, PASSWORD, NAME = "marketer@example.com", "Пароль для теста 2024", "Mira Marketer"
PERIOD_DAYS = 30  # the upload form's default period
READY_TIMEOUT_MS = 90_000


@dataclass(frozen=True)
class Expected:
    """The numbers a marketer should see, computed from the CSV itself (not by our code)."""

    views: int
    engagements: int
    previous_views: int
    daily_views: list[int]


def expected_from_csv() -> Expected:
    """One row per day, oldest first, ending on the export day: the period is the last 30 rows."""
    with open(TIKTOK, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    current, previous = rows[-PERIOD_DAYS:], rows[-2 * PERIOD_DAYS : -PERIOD_DAYS]
    return Expected(
        views=sum(int(r["Video Views"]) for r in current),
        engagements=sum(int(r["Likes"]) + int(r["Comments"]) + int(r["Shares"]) for r in current),
        previous_views=sum(int(r["Video Views"]) for r in previous),
        daily_views=[int(r["Video Views"]) for r in current],
    )


def settle(page, quiet_ms: int = 800) -> None:
    """Wait until the app has been idle for `quiet_ms`: a sign-in or sign-out is followed by a second
    run once the cookie component reports back, and an input typed during a run can be lost."""
    page.wait_for_function(
        """quiet => {
            const app = document.querySelector('[data-testid=stApp]');
            const now = performance.now();
            if (!app || app.getAttribute('data-test-script-state') === 'running') {
                window.__busySince = now;
                return false;
            }
            return now - (window.__busySince || 0) >= quiet;
        }""",
        arg=quiet_ms,
        polling=100,
    )


def visible_input(page, label: str):
    return page.locator(f"input[aria-label='{label}']:visible")


def click_button(page, name: str) -> None:
    settle(page)
    page.get_by_role("button", name=name, exact=True).filter(visible=True).first.click()


def go_to(page, title: str) -> None:
    """Follow a sidebar link and wait for the page's title."""
    settle(page)
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()


def first_run_setup(page, shots) -> None:
    page.get_by_text("There is no administrator yet").wait_for()
    settle(page)
    shots("setup screen")
    visible_input(page, "Your name").fill(NAME)
    visible_input(page, "Email").fill(EMAIL)
    visible_input(page, "Password").fill(PASSWORD)
    visible_input(page, "Repeat the password").fill(PASSWORD)
    click_button(page, "Create administrator")
    page.get_by_role("heading", name="Dashboard", exact=True).wait_for()
    page.get_by_text("No files yet — upload a CSV export from YouTube, TikTok").wait_for()
    shots("empty dashboard")


def log_out(page, shots) -> None:
    click_button(page, "Log out")
    visible_input(page, "Password").wait_for()
    shots("signed out")


def log_in(page, shots) -> None:
    settle(page)
    visible_input(page, "Email").fill(EMAIL)
    visible_input(page, "Password").fill(PASSWORD)
    click_button(page, "Sign in")
    page.get_by_role("heading", name="Dashboard", exact=True).wait_for()
    shots("signed in")


def upload_and_watch(page, shots, export=TIKTOK, facts="TikTok · Last 30 days · 365 rows") -> None:
    go_to(page, "Upload")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(export))
    page.get_by_text(re.compile(r"^\d+(\.\d+)?\s?KB$")).first.wait_for()  # the chosen file's chip
    page.locator("[data-testid='stFormSubmitButton'] button").filter(has_text="Upload").click()
    card = page.locator("[data-testid='stVerticalBlock'][class*='st-key-upload_card_']").first
    card.get_by_text(export.name).wait_for()  # the newest upload is listed first, at once
    page.evaluate("window.__sameDocument = true")  # a reload would lose this
    shots(f"uploaded {export.name[:20]}")
    # No reload from here on: the 2-second fragment must bring the status to the screen.
    card.get_by_text(re.compile(r"Ready$")).wait_for(timeout=READY_TIMEOUT_MS)  # the status badge
    card.get_by_text(facts).wait_for()  # the same run redraws the rest of the card
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    shots(f"ready {export.name[:20]}")


def metric_values(page) -> dict[str, tuple[str, str]]:
    """The KPI cards: {label: (value, delta)}."""
    cards = {}
    for card in page.locator("[data-testid='stMetric']").all():
        label = card.locator("[data-testid='stMetricLabel']").inner_text().strip()
        value = card.locator("[data-testid='stMetricValue']").inner_text().strip()
        delta = card.locator("[data-testid='stMetricDelta']")
        cards[label] = (value, delta.inner_text().strip() if delta.count() else "")
    return cards


def check_kpis(page, shots, expected: Expected) -> None:
    go_to(page, "Dashboard")
    page.locator("[data-testid='stMetric']").first.wait_for()
    cards = metric_values(page)
    shots("kpi cards")
    assert cards["Views"][0] == f"{expected.views:,}"
    assert cards["Engagements"][0] == f"{expected.engagements:,}"
    change = expected.views - expected.previous_views
    assert re.sub(r"\s+", " ", cards["Views"][1]).startswith(f"{change:+,} (")


def plotted(page, title: str) -> list[dict]:
    """The traces of the plotly chart with this title, as the browser holds them."""
    return page.evaluate(
        """title => {
            for (const el of document.querySelectorAll('.js-plotly-plot')) {
                const raw = el.layout && el.layout.title && (el.layout.title.text || el.layout.title);
                if (String(raw).replace(/<[^>]+>/g, '') === title) return el.data.map(d => ({name: d.name, x: d.x, y: d.y}));
            }
            return null;
        }""",
        title,
    )


def check_chart(page, shots, expected: Expected) -> None:
    go_to(page, "Explorer")
    page.locator(".js-plotly-plot").first.wait_for()
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 3")
    traces = plotted(page, "Views and engagements")
    assert traces is not None
    views = next(t for t in traces if t["name"] == "Views")
    assert views["y"] == expected.daily_views
    assert sum(views["y"]) == expected.views
    shots("explorer")


def continue_from_explorer(page, shots) -> None:
    """The hook for more of the journey, run while the Explorer shows the uploaded file, signed in.

    The reports engineer adds "Download PDF" here, e.g.:
        with page.expect_download() as download:
            click_button(page, "Download PDF")
        assert download.value.suggested_filename.endswith(".pdf")
        shots("pdf downloaded")
    """


def compare_with_youtube(page, shots) -> None:
    """A second platform, compared side by side with the first in the explorer."""
    upload_and_watch(page, shots, YOUTUBE, "YouTube · Last 30 days · 450 rows")
    go_to(page, "Explorer")
    settle(page)
    search = page.locator("[data-testid='stMultiSelect'] input").first
    search.fill("tiktok")
    page.get_by_role("option").filter(has_text=TIKTOK.name).first.click()
    page.keyboard.press("Escape")
    # One chart, both files: YouTube's views; TikTok's views and engagements (YouTube's export has none).
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')].some(
            el => el.data && el.data.length === 3)"""
    )
    names = [t["name"] for t in plotted(page, "Views and engagements")]
    assert sorted(n.split(" (")[0] + n.split(")")[-1] for n in names) == [
        f"{TIKTOK.name} · Engagements",
        f"{TIKTOK.name} · Views",
        f"{YOUTUBE.name} · Views",
    ]
    shots("compared")


def test_first_run_to_ready_file_to_kpis_and_chart(app_url, page, shots):
    expected = expected_from_csv()
    page.goto(app_url)
    first_run_setup(page, shots)
    log_out(page, shots)
    log_in(page, shots)
    upload_and_watch(page, shots)
    check_kpis(page, shots, expected)
    check_chart(page, shots, expected)
    continue_from_explorer(page, shots)
    compare_with_youtube(page, shots)
    log_out(page, shots)
    assert page.get_by_role("heading", name="Dashboard").count() == 0
