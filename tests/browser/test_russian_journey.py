"""The whole journey in Russian, in a real browser that asks for Russian (Accept-Language ru-RU): first-run
setup → sign out and sign in → upload a VK community export saved by Excel (Windows-1251, `;`) → put its
account into a brand → open the brand in the Explorer → take its PDF.

On every screen the visible text (and the charts' titles, axes and legends) may hold none of our English
UI strings: the catalogue's English ids that have a Russian translation of their own. The PDF's text
(pdftotext) is Russian."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core import i18n
from tests.browser.conftest import ARTIFACTS
from tests.browser.steps import (
    EMAIL,
    NAME,
    PASSWORD,
    READY_TIMEOUT_MS,
    RUSSIAN,
    RUSSIAN_NAME,
    choose_file,
    click_button,
    go_to,
    pick_and_save,
    settle,
    visible_input,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BRAND = "Рецепты"
PLACEHOLDER = re.compile(r"\{[^}]*\}|%\{[^}]*\}")


def _catalogue():
    with i18n.po_path("ru").open("rb") as fh:
        return read_po(fh, locale="ru")


def kept_names() -> list[str]:
    """Ids that Russian keeps as they are (the product's name, "Email"): not English UI on a Russian screen."""
    return [m.id for m in _catalogue() if isinstance(m.id, str) and m.id and m.string == m.id]


def english_ui_strings() -> list[str]:
    """Our English strings that Russian says otherwise: each literal piece of a message id (between its
    {placeholders}) with a word of four letters or more, which its translation does not keep."""
    found = set()
    for entry in _catalogue():
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for message in ids:
            if message in strings:
                continue  # the same in both languages ("Email", "ER, %")
            for piece in PLACEHOLDER.split(message):
                piece = piece.strip(" .,:;·()–—-\"'«»")
                if re.search(r"[A-Za-z]{4}", piece) and piece not in " ".join(strings):
                    found.add(piece)
    return sorted(found, key=len, reverse=True)


ENGLISH = english_ui_strings()
KEPT = sorted(kept_names(), key=len, reverse=True)


def screen_text(page) -> str:
    """What the screen shows: the page's visible text, and the charts' titles, axis titles and legends."""
    settle(page)
    charts = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(el => {
            const l = el.layout || {}, t = v => v && (v.text || v);
            const axes = Object.keys(l).filter(k => /^[xy]axis/.test(k)).map(k => t(l[k].title));
            return [t(l.title), ...axes, ...(el.data || []).map(d => d.name)].filter(Boolean).map(String);
        })"""
    )
    return page.locator("body").inner_text() + "\n" + "\n".join(charts)


def english_on(text: str) -> list[str]:
    """Our English strings that `text` holds, as whole words (names kept in Russian aside)."""
    for name in KEPT:
        text = text.replace(name, " ")
    return [s for s in ENGLISH if re.search(rf"(?<![\w]){re.escape(s)}(?![\w])", text)]


def check_russian(page, shots, name: str) -> str:
    # Read again for a few seconds while English shows: a rerun (a live card finishing, say) can redraw
    # the uploader a moment before the style that says its words in Russian; English that stays fails.
    deadline = time.monotonic() + 8
    text = screen_text(page)
    while english_on(text) and time.monotonic() < deadline:
        page.wait_for_timeout(500)
        text = screen_text(page)
    shots(name)
    assert english_on(text) == [], f"{name}: English on a Russian screen"
    assert re.search(r"[А-Яа-яЁё]{4}", text), f"{name}: no Russian text"
    return text


def setup_and_sign_in(page, shots) -> None:
    page.get_by_text("Администратора ещё нет").wait_for()
    check_russian(page, shots, "setup")
    visible_input(page, "Ваше имя").fill(NAME)
    visible_input(page, "Email").fill(EMAIL)
    visible_input(page, "Пароль").fill(PASSWORD)
    visible_input(page, "Повторите пароль").fill(PASSWORD)
    click_button(page, "Создать администратора")
    page.get_by_role("heading", name="Сводка", exact=True).wait_for()
    check_russian(page, shots, "empty dashboard")
    click_button(page, "Выйти")
    visible_input(page, "Пароль").wait_for()
    check_russian(page, shots, "sign in")
    visible_input(page, "Email").fill(EMAIL)
    visible_input(page, "Пароль").fill(PASSWORD)
    click_button(page, "Войти")
    page.get_by_role("heading", name="Сводка", exact=True).wait_for()


def upload_vk(page, shots) -> None:
    go_to(page, "Загрузка")
    check_russian(page, shots, "upload")
    chosen = {"name": RUSSIAN_NAME, "mimeType": "text/csv", "buffer": RUSSIAN.read_bytes()}
    choose_file(page, chosen, size=re.compile(r"^\d+([.,]\d+)?\s?K?B$"))  # a decimal comma
    page.locator("[data-testid='stFormSubmitButton'] button").filter(has_text="Загрузить").click()
    card = page.locator("[data-testid='stVerticalBlock'][class*='st-key-upload_card_']").first
    card.get_by_text(re.compile(r"Готов$")).wait_for(timeout=READY_TIMEOUT_MS)
    card.get_by_text("VK · Последние 30 дней · 60 строк").wait_for()
    check_russian(page, shots, "ready")


def make_brand(page, shots) -> None:
    go_to(page, "Аккаунты")
    visible_input(page, "Новый бренд").fill(BRAND)
    click_button(page, "Создать бренд")
    page.locator("[data-testid='stExpander']").filter(has_text=BRAND).first.wait_for()
    expander = page.locator("[data-testid='stExpander']").filter(has_text=" · VK").first
    saved = page.locator("summary").filter(has_text=f" · VK · {BRAND}")
    pick_and_save(page, container=expander, label="Бренд", option=BRAND, save="Сохранить", saved=saved)
    check_russian(page, shots, "accounts")


def brand_pdf(page, shots, tmp_path: Path) -> str:
    """The brand in the Explorer (brands come first, so it is the one picked) and its PDF's text."""
    go_to(page, "Обзор")
    page.locator("[class*='st-key-explorer_scope_brand_']").first.wait_for()
    page.get_by_role("tab", name="Просмотры и взаимодействия", exact=True).wait_for()  # the open chart's tab
    page.locator(".js-plotly-plot").first.wait_for()
    text = check_russian(page, shots, "brand in the explorer")
    assert re.search(r"\d{2}\.\d{2}\.\d{4} – \d{2}\.\d{2}\.\d{4}", text), "dates as 01.12.2026"
    widget = page.locator("[class*='st-key-explorer_scope_report_pdf_brand_']")
    with page.expect_download() as download:
        widget.locator("button:visible").click()
    path = ARTIFACTS / "russian-journey.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    check_russian(page, shots, "after the pdf")
    out = tmp_path / "report.txt"
    subprocess.run(["pdftotext", "-layout", str(path), str(out)], check=True)
    return out.read_text()


@pytest.fixture
def page_ru(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture
def shots_ru(page_ru, request):
    from tests.browser.conftest import Shots

    taker = Shots(page_ru, "russian")
    yield taker
    if getattr(request.node, "journey_failed", False):
        taker("failed here")


def test_a_russian_marketer_does_the_whole_journey_in_russian(app_url, page_ru, shots_ru, tmp_path):
    assert "Views and engagements" in ENGLISH and "Sign in" in ENGLISH  # the list is our strings
    page_ru.goto(app_url)
    setup_and_sign_in(page_ru, shots_ru)
    upload_vk(page_ru, shots_ru)
    make_brand(page_ru, shots_ru)
    report = brand_pdf(page_ru, shots_ru, tmp_path)
    assert BRAND in report
    for russian in ("Просмотры", "Взаимодействия"):
        assert russian in report, f"{russian} is not in the PDF"
    assert english_on(report) == [], "English in the Russian PDF"
    assert len(re.findall(r"[А-Яа-яЁё]{4,}", report)) > 50, "the PDF is not in Russian"
