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
    if isinstance(message, Msg):  # already translated (and recorded)
        return message
    text = translations(_current.get()).gettext(message)
    return Msg(text, {"id": message}) if _recording.get() else text


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` in the current language (Russian has three)."""
    text = translations(_current.get()).ngettext(singular, plural, n)
    return Msg(text, {"id": [singular, plural], "n": n}) if _recording.get() else text


# Messages that are stored (a file's error and warnings, written by the worker) are kept as records, so
# each viewer reads them in their own language: {"id": msgid, "params": {...}} ({"id": [singular, plural],
# "n": n} for a plural), {"join": [record, ...], "sep": text} for composed text, {"date": iso},
# {"datetime": iso} or {"decimal": text, "decimals": …, "pattern": …} for a formatted value, or plain text.
_recording: contextvars.ContextVar[bool] = contextvars.ContextVar("recording", default=False)


class Msg(str):
    """A translated message (its text in the current language) that remembers how to say it again."""

    record: dict

    def __new__(cls, text: str, record: dict):
        out = super().__new__(cls, text)
        out.record = record
        return out

    def __getnewargs__(self):  # copy, deepcopy (dataclasses.asdict) and pickle keep the record
        return str(self), self.record

    def format(self, *args, **kwargs) -> str:
        text = str.format(self, *args, **kwargs)
        if args:
            return text
        return Msg(text, {**self.record, "params": {k: to_record(v) for k, v in kwargs.items()}})


@contextmanager
def recording() -> Iterator[None]:
    """Within: _() and ngettext() return Msg, so what is stored can be rendered in any language later."""
    token = _recording.set(True)
    try:
        yield
    finally:
        _recording.reset(token)


def to_record(value):
    """What to store for a message: its record when it is a Msg, else the value (plain JSON)."""
    if isinstance(value, Msg):
        return value.record
    if isinstance(value, (str, int, float, bool, dict)) or value is None:
        return value
    return str(value)


def joined(parts: list, sep: str = "") -> dict:
    """The record of `sep.join(parts)`, each part rendered on its own."""
    return {"join": [to_record(p) for p in parts], "sep": sep}


def render(record) -> str:
    """A stored message in the current language (plain text as it is)."""
    if not isinstance(record, dict):
        return "" if record is None else str(record)
    return _render(record)


def _param(value):
    return _render(value) if isinstance(value, dict) else value  # numbers stay numbers for {n:,}


def _render(record: dict) -> str:
    if "date" in record:
        return fmt_date(date.fromisoformat(record["date"]))
    if "datetime" in record:
        return fmt_datetime(datetime.fromisoformat(record["datetime"]))
    if "decimal" in record:
        return fmt_decimal(
            Decimal(record["decimal"]), decimals=record.get("decimals"), pattern=record.get("pattern")
        )
    if "join" in record:
        return record.get("sep", "").join(render(part) for part in record["join"])
    ident = record.get("id")
    if isinstance(ident, list):
        text = translations(_current.get()).ngettext(ident[0], ident[1], record.get("n", 1))
    else:
        text = translations(_current.get()).gettext(ident or "")
    if "params" not in record:
        return text
    try:
        return text.format(**{k: _param(v) for k, v in record["params"].items()})
    except (KeyError, IndexError, ValueError):  # a catalogue that changed since it was stored
        return str(ident)


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
        text = format_decimal(value, locale=_current.get(), decimal_quantization=False)
    else:
        shape = pattern or "#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_decimal(value, format=shape, locale=_current.get())
    if _recording.get():  # a stored message says the number again in its viewer's format
        return Msg(text, {"decimal": str(value), "decimals": decimals, "pattern": pattern})
    return text


def fmt_date(value: date) -> str:
    """01.12.2026 (ru) · Dec 1, 2026 (en)."""
    text = format_date(value, DATE_FORMATS[_current.get()], locale=_current.get())
    return Msg(text, {"date": value.isoformat()}) if _recording.get() else text


def fmt_datetime(value: datetime) -> str:
    """01.12.2026, 14:05 (ru) · Dec 1, 2026, 14:05 (en)."""
    day = format_date(value, DATE_FORMATS[_current.get()], locale=_current.get())
    text = f"{day}, {format_datetime(value, 'HH:mm', locale=_current.get())}"
    return Msg(text, {"datetime": value.isoformat()}) if _recording.get() else text


def weekday_name(index: int) -> str:
    """Monday = 0, in the current language ("четверг", "Thursday")."""
    return locale().days["format"]["wide"][index]


def month_name(index: int) -> str:
    """January = 1, standalone ("Декабрь", "December")."""
    return locale().months["stand-alone"]["wide"][index]
