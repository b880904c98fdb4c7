"""Steps and read-outs of the browser journeys: sign-in, navigation, uploading and watching a file
reach Ready, the KPI cards and the plotted traces. The real exports they upload, and the marketer."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

from tests.conftest import DATA, REAL_EXPORTS

TIKTOK = REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__Overview.csv"
YOUTUBE = REAL_EXPORTS / "youtube__billmengg__YTAnalytics__Date.csv"
# A VK-style export as Russian marketers have them: Windows-1251, `;`, dd.mm.yyyy, 60 days. It is
# kept under an ASCII name in the repository and uploaded under a Cyrillic one.
RUSSIAN = DATA / "browser" / "vk_recipes_cp1251.csv"
RUSSIAN_NAME = "Канал «Рецепты».csv"
EMAIL, PASSWORD, NAME = "marketer@example.com", "Пароль для теста 2024", "Mira Marketer"
PERIOD_DAYS = 30  # the upload form's default period
CARD_DAYS = 28  # the Dashboard's account cards
READY_TIMEOUT_MS = 90_000


def settle(page, quiet_ms: int = 800) -> None:
    """Wait until the app has been idle for `quiet_ms`: an input typed during a run can be lost."""
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


def choose(page, label: str, option: str, *, within=None) -> None:
    """Pick `option` in the selectbox labelled `label` (inside `within`, a container, when given)."""
    scope = within if within is not None else page
    box = scope.get_by_role("combobox", name=label, exact=True).filter(visible=True).first
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # installed: the page fixture ran

    wanted = page.get_by_role("option", name=option, exact=True)
    for attempt in range(4):  # a click while the container still animates open can leave the list shut,
        settle(page)  # and a rerun can draw the list anew under the click (the option detached)
        box.click()
        try:
            wanted.wait_for(timeout=3_000)
            wanted.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
    page.get_by_role("combobox", name=label, exact=True).filter(visible=True).first.wait_for()


def shown(page, label: str, *, within=None) -> str:
    """What the selectbox labelled `label` shows (inside `within` when given), once the app is idle."""
    settle(page)
    scope = within if within is not None else page
    return scope.get_by_role("combobox", name=label, exact=True).filter(visible=True).first.input_value()


def pick(page, label: str, option: str, *, within=None, tries: int = 3) -> None:
    """Pick `option` and confirm the selectbox shows it once the app is idle, picking again if not: a
    page that reruns (after creating what is picked, say) can draw the list anew under a pick."""
    for attempt in range(tries):
        choose(page, label, option, within=within)
        if (now := shown(page, label, within=within)) == option:
            return
        warnings.warn(
            f"{label}: the select shows {now!r} after picking {option!r} (try {attempt + 1})", stacklevel=2
        )
    raise AssertionError(f"{label}: picked {option!r} {tries} times, the select shows {now!r}")


def pick_and_save(page, *, container, label: str, option: str, save: str, saved) -> None:
    """Put something just created into a select and save it: open `container` (an account's expander)
    if a rerun closed it, `pick` the option there, press `save` and wait for `saved` (a locator of
    what the page shows once it is saved). A pick the select showed must be what is saved: no retry."""
    settle(page)
    if not container.get_by_role("combobox", name=label, exact=True).first.is_visible():
        container.locator("summary").first.click()
    pick(page, label, option, within=container)
    container.get_by_role("button", name=save, exact=True).click()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        saved.wait_for(timeout=15_000)
    except PlaywrightTimeout:
        settle(page)
        headers = page.locator("summary").all_inner_texts()
        raise AssertionError(f"{label} {option!r} was picked and saved; the page shows {headers}") from None


def go_to(page, title: str) -> None:
    """Follow a sidebar link and wait for the page's title."""
    settle(page)
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()


def explore_files(page) -> None:
    """The Explorer, switched from accounts and brands to single files."""
    go_to(page, "Explorer")
    settle(page)
    page.locator("[class*='st-key-explorer_view'] button", has_text="Single files").click()
    page.locator("[class*='st-key-explorer_files']").first.wait_for()
    settle(page)  # the run done: until then the accounts view's chart, of the same title, is still shown


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


CHIP = re.compile(r"^\d+(\.\d+)?\s?K?B$")  # a chosen file's chip: its size, as English writes it


def choose_file(page, chosen, *, size=CHIP, tries: int = 3) -> None:
    """Put `chosen` in the upload form's file picker and wait for its chip (its `size`): chosen while
    the page still reruns (the sidebar link to the page already shown, a card that just finished), the
    picker can be drawn anew and the choice gone, so it is chosen again once the app is idle."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    chip = page.get_by_text(size).first
    for attempt in range(tries):
        settle(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(chosen)
        try:
            chip.wait_for(timeout=10_000)
            return
        except PlaywrightTimeout:
            warnings.warn(f"the chosen file shows no chip (try {attempt + 1})", stacklevel=2)
    chip.wait_for()


def upload_and_watch(
    page,
    shots,
    export=TIKTOK,
    facts="TikTok · Last 30 days · 365 rows",
    *,
    name: str | None = None,
    form: Callable[[], None] | None = None,
) -> None:
    """Upload `export` (under `name` when given) and watch its card reach Ready without a reload;
    `form` fills the rest of the upload form (platform, account) before it is sent."""
    go_to(page, "Upload")
    chosen = str(export)
    if name is not None:  # the same bytes, under another name (a Cyrillic one, say)
        chosen = {"name": name, "mimeType": "text/csv", "buffer": export.read_bytes()}
    choose_file(page, chosen)
    if form is not None:
        form()
    page.locator("[data-testid='stFormSubmitButton'] button").filter(has_text="Upload").click()
    card = page.locator("[data-testid='stVerticalBlock'][class*='st-key-upload_card_']").first
    card.get_by_text(name or export.name).wait_for()  # the newest upload is listed first, at once
    page.evaluate("window.__sameDocument = true")  # a reload would lose this
    shots(f"uploaded {export.name[:20]}")
    # No reload from here on: the live card (its watcher, ui/live.py) must bring the status to the screen.
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


CHART_TITLED = """title => [...document.querySelectorAll('.js-plotly-plot')].some(el => {
    const raw = el.layout && el.layout.title && (el.layout.title.text || el.layout.title);
    return String(raw).replace(/<[^>]+>/g, '') === title;
})"""  # page.wait_for_function(CHART_TITLED, arg=title): until the chart with this title is drawn


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
