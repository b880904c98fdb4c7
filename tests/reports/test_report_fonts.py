"""DejaVu is parsed once a process (core.reports.fonts), and a report's bytes are those fpdf2's own
add_font gives, in either language, one report after another or several at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from fpdf.fonts import TTFFont

from core.db import session_scope
from core.i18n import use_language
from core.models import SocialFile
from core.reports import fonts, page
from core.reports.gather import report_data
from core.reports.pdf import build_pdf

PINNED = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


@pytest.fixture
def reports(posts_file):
    """The file's report data in English and in Russian."""
    out = {}
    for language in ("en", "ru"):
        with use_language(language), session_scope() as session:
            out[language] = report_data(
                session, file=session.get(SocialFile, posts_file), generated_at=PINNED
            )
    return out


def _build(data, language: str) -> bytes:
    with use_language(language):
        return build_pdf(data)


def _as_fpdf2_does(monkeypatch) -> None:
    monkeypatch.setattr(page, "add_font", lambda pdf, family, style, path: pdf.add_font(family, style, path))


def test_the_same_bytes_as_a_font_parsed_for_each_report(reports, monkeypatch):
    shared = {language: _build(data, language) for language, data in reports.items()}
    again = {language: _build(data, language) for language, data in reports.items()}
    _as_fpdf2_does(monkeypatch)
    parsed = {language: _build(data, language) for language, data in reports.items()}
    assert shared == again == parsed
    assert shared["en"] != shared["ru"]  # each subset holds its own glyphs (Cyrillic in one only)


def test_reports_built_at_once_each_get_their_own_subset(reports, monkeypatch):
    jobs = [(language, reports[language]) for language in ("en", "ru", "ru", "en", "ru", "en")]
    with ThreadPoolExecutor(max_workers=3) as pool:
        shared = list(pool.map(lambda job: _build(job[1], job[0]), jobs))
    _as_fpdf2_does(monkeypatch)
    assert shared == [_build(data, language) for language, data in jobs]


def test_a_report_parses_no_font_once_one_has(reports, monkeypatch):
    _build(reports["en"], "en")
    parsed = []
    original = TTFFont.__init__

    def counting(self, *args, **kwargs):
        parsed.append(args[1])
        original(self, *args, **kwargs)

    monkeypatch.setattr(TTFFont, "__init__", counting)
    _build(reports["ru"], "ru")
    assert parsed == []
    assert all(font is not None for font in fonts._parsed.values())  # shared, not fallen back to add_font
