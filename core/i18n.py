"""Languages: gettext catalogues (core/locale/<lang>/LC_MESSAGES/messages.po) and locale number and date formats.

    with use_language("ru"):
        _("Views")                      # "Просмотры"
        fmt_decimal(1234.5)             # "1 234,5"
        fmt_date(date(2026, 12, 1))     # "01.12.2026"

The .po files are read at run time (Babel compiles them in memory), so a clean clone needs no build step.
`make messages` re-extracts the message ids from the code and merges them into both catalogues.
"""

from __future__ import annotations

import contextvars
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LANGUAGES = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DATE_FORMATS = {"ru": "dd.MM.yyyy", "en": "MMM d, yyyy"}  # 01.12.2026 · Dec 1, 2026

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


def normalise(language: str | None) -> str:
    """One of LANGUAGES for any tag ("ru-RU", "EN_us", None): the default when it is not one we have."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def from_accept_language(header: str | None) -> str:
    """The first language of an Accept-Language header that we have, by its q weights."""
    choices = []
    for i, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        code = tag.strip().lower().split("-")[0]
        if code in LANGUAGES and q > 0:
            choices.append((-q, i, code))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def get_language() -> str:
    return _current.get()


def set_language(language: str | None) -> str:
    """Make `language` current for this thread/task (the rest of a Streamlit script run, say)."""
    code = normalise(language)
    _current.set(code)
    return code


@contextmanager
def use_language(language: str | None) -> Iterator[str]:
    token = _current.set(normalise(language))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> Translations:
    """The catalogue of `language`, compiled from its .po in memory (read once per process)."""
    with po_path(language).open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def _(message: str) -> str:
    """`message` in the current language (itself where the catalogue has no translation)."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` in the current language (Russian has three)."""
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; translate it with _() where it is shown."""
    return message


def locale() -> Locale:
    return Locale.parse(_current.get())


def fmt_decimal(
    value: Decimal | int | float, *, decimals: int | None = None, pattern: str | None = None
) -> str:
    """1 234,5 (ru) · 1,234.5 (en); `decimals` fixes the places shown, `pattern` is a CLDR number pattern."""
    if pattern is None and decimals is None:
        return format_decimal(value, locale=_current.get(), decimal_quantization=False)
    if pattern is None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_current.get())


def fmt_date(value: date) -> str:
    """01.12.2026 (ru) · Dec 1, 2026 (en)."""
    return format_date(value, DATE_FORMATS[_current.get()], locale=_current.get())


def fmt_datetime(value: datetime) -> str:
    """01.12.2026, 14:05 (ru) · Dec 1, 2026, 14:05 (en)."""
    return f"{fmt_date(value)}, {format_datetime(value, 'HH:mm', locale=_current.get())}"


def weekday_name(index: int) -> str:
    """Monday = 0, in the current language ("четверг", "Thursday")."""
    return locale().days["format"]["wide"][index]


def month_name(index: int) -> str:
    """January = 1, standalone ("Декабрь", "December")."""
    return locale().months["stand-alone"]["wide"][index]
