"""Languages: both catalogues complete, locale formats, and Russian text where the user reads it."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from babel.messages.pofile import read_po

from core import i18n
from core.i18n import _, fmt_date, fmt_decimal, ngettext, use_language
from core.i18n_extract import extract
from core.parsing.types import Issue, ParseError

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _catalogue(language: str):
    with i18n.po_path(language).open("rb") as fh:
        return read_po(fh, locale=language)


@pytest.mark.parametrize("language", sorted(i18n.LANGUAGES))
def test_every_message_in_the_code_is_translated(language):
    catalogue = _catalogue(language)
    missing = []
    for message_id in extract():
        entry = catalogue.get(message_id)
        strings = (
            () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
        )
        if not strings or not all(strings):
            missing.append(message_id)
    assert missing == [], f"{language}: run `make messages` and translate: {missing[:5]}"


@pytest.mark.parametrize("language", sorted(i18n.LANGUAGES))
def test_every_catalogue_entry_has_its_placeholders(language):
    """A translation that drops or renames {name} would raise KeyError in .format() at run time."""
    for entry in _catalogue(language):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            assert set(PLACEHOLDER.findall(string)) == wanted, (entry.id, string)


def test_the_catalogues_hold_no_stale_ids():
    """Both catalogues list exactly the ids of the code (no entry left behind by a removed message)."""
    code = set(extract())
    for language in i18n.LANGUAGES:
        assert {m.id for m in _catalogue(language) if m.id} == code


def test_extraction_sees_marked_messages_and_profiles():
    ids = extract()
    assert "is not a number." in ids
    assert ("Top {n} post by views", "Top {n} posts by views") in ids
    assert any(isinstance(m, str) and m.startswith("This looks like a YouTube geography") for m in ids)


@pytest.mark.parametrize(
    ("language", "number", "day", "when"),
    [
        ("ru", "1\xa0234,5", "01.12.2026", "01.12.2026, 14:05"),
        ("en", "1,234.5", "Dec 1, 2026", "Dec 1, 2026, 14:05"),
    ],
)
def test_locale_formats(language, number, day, when):
    with use_language(language):
        assert fmt_decimal(Decimal("1234.5")) == number
        assert fmt_date(date(2026, 12, 1)) == day
        assert i18n.fmt_datetime(datetime(2026, 12, 1, 14, 5)) == when


def test_russian_plurals_have_three_forms():
    with use_language("ru"):
        forms = [
            ngettext("Top {n} post by views", "Top {n} posts by views", n).format(n=n) for n in (1, 3, 5, 21)
        ]
    assert forms == [
        "Лучшая 1 публикация по просмотрам",
        "Лучшие 3 публикации по просмотрам",
        "Лучшие 5 публикаций по просмотрам",
        "Лучшая 21 публикация по просмотрам",
    ]


def test_parse_errors_name_line_column_and_value_in_each_language():
    error = ParseError([Issue("is not a number.", line=57, column="Просмотры", value="12abc")])
    with use_language("ru"):
        assert str(error) == "Строка 57, столбец «Просмотры»: «12abc» — не число."
    with use_language("en"):
        assert str(error) == 'Line 57, column "Просмотры": "12abc" is not a number.'


def test_a_real_bad_file_is_refused_in_russian(tmp_path):
    from core.parsing import open_table

    with use_language("ru"):
        with pytest.raises(ParseError) as caught:
            list(open_table("tests/data/parsing/bad_values.csv").rows())
        text = str(caught.value)
    assert text.startswith("Найдено проблем: ")
    assert "Строка 3, столбец «views»: «12abc» — не число." in text
    assert not re.search(r"\b(Line|column|is not)\b", text)


@pytest.mark.parametrize(
    ("header", "language"),
    [("ru-RU,ru;q=0.9,en;q=0.8", "ru"), ("en-GB,en;q=0.9", "en"), ("de-DE,ru;q=0.5", "ru"), ("", "en"),
     ("fr, de", "en"), ("en;q=0.3, ru;q=0.7", "ru"), ("ru;q=0", "en")],
)  # fmt: skip
def test_first_visit_follows_the_browser_language(header, language):
    assert i18n.from_accept_language(header) == language


def test_languages_do_not_leak_between_contexts():
    with use_language("ru"):
        assert _("Views") == "Просмотры"
        with use_language("en"):
            assert _("Views") == "Views"
        assert _("Views") == "Просмотры"
    assert i18n.get_language() == i18n.DEFAULT_LANGUAGE
