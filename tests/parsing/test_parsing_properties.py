"""Property: a table written in any supported dialect reads back as the same canonical rows."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import MEASURES
from core.parsing.numbers import NEVER_NEGATIVE
from tests.parsing.conftest import TODAY, read_all

SPELLINGS = {  # canonical -> (English, Russian) generic header spellings
    "date": ("Date", "Дата"),
    "views": ("Views", "Просмотры"),
    "reach": ("Reach", "Охват"),
    "impressions": ("Impressions", "Показы"),
    "likes": ("Likes", "Лайки"),
    "comments": ("Comments", "Комментарии"),
    "shares": ("Shares", "Поделились"),
    "saves": ("Saves", "Сохранения"),
    "subscribers": ("Subscribers", "Подписчики"),
    "title": ("Title", "Заголовок"),
}
WORDS = {
    "latin": [
        "Launch",
        "Café",
        "été",
        "Año nuevo",
        "Straße",
        "Järfälla",
        "São Paulo",
        "naïve",
        "Crème brûlée",
    ],
    "cyrillic": ["Привет", "Итоги года", "Ёлка", "Новости", "Съёмка", "щука"],
    "any": ["Launch 🚀", "東京", "Привет", "Café", "a, b; c|d", 'He said "hi"', "two\nlines", "tab\there"],
}
ENCODINGS = {
    "utf-8": ("any", 1),
    "utf-8-sig": ("any", 1),
    "utf-16": ("any", 1),
    "cp1251": ("cyrillic", 1),
    "cp1252": ("latin", 0),
}
DATE_STYLES = {
    "iso": lambda d: d.isoformat(),
    "dmy_dot": lambda d: f"{d.day}.{d.month:02d}.{d.year}",
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "mdy_slash": lambda d: f"{d.month}/{d.day}/{d.year}",
    "text": lambda d: f"{d:%b} {d.day}, {d.year}",
    "iso_time": lambda d: f"{d.isoformat()} 10:30",
}


def _group(n: int, sep: str) -> str:
    digits = f"{abs(n):,}".replace(",", sep)
    return ("-" if n < 0 else "") + digits


NUMBER_STYLES = {
    "plain": str,
    "float": lambda n: f"{n}.0",
    "decimal_comma": lambda n: f"{n},0",
    "nbsp": lambda n: _group(n, "\u00a0"),
    "space": lambda n: _group(n, " "),
    "apostrophe": lambda n: _group(n, "'"),
    "comma_group": lambda n: _group(n, ","),
    "comma_group_float": lambda n: _group(n, ",") + ".00",
    "dot_group_comma": lambda n: _group(n, ".") + ",0",
}
# A file writes its numbers one way: its decimal mark decides what a lone "1,000" means (issue 9).
STYLE_FAMILIES = (
    sorted(set(NUMBER_STYLES) - {"decimal_comma", "dot_group_comma"}),
    sorted(set(NUMBER_STYLES) - {"float", "comma_group", "comma_group_float"}),
)
PLACEHOLDERS = ["", "-", "—", "n/a", "undefined"]


@st.composite
def tables(draw):
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    words, russian_ok = ENCODINGS[encoding]
    measures = draw(
        st.lists(st.sampled_from([m for m in SPELLINGS if m in MEASURES]), min_size=1, unique=True)
    )
    with_title = draw(st.booleans())
    styles = draw(st.sampled_from(STYLE_FAMILIES))
    n = draw(st.integers(1, 25))
    date_style = draw(st.sampled_from(sorted(DATE_STYLES)))
    # Issue 9: dates before 2004 or after the upload day are refused, so the tables hold none.
    days = draw(st.lists(st.dates(date(2004, 1, 1), TODAY), min_size=n, max_size=n))
    if date_style in ("dmy_slash", "mdy_slash"):
        days[0] = days[0].replace(day=draw(st.integers(13, 28)))  # one day above 12 settles the order
    values = {
        m: draw(
            st.lists(
                st.one_of(st.none(), st.integers(0 if m in NEVER_NEGATIVE else -(10**7), 10**9)),
                min_size=n,
                max_size=n,
            )
        )
        for m in measures
    }
    titles = draw(st.lists(st.sampled_from(WORDS[words]), min_size=n, max_size=n)) if with_title else None
    columns = draw(st.permutations(["date", *measures, *(["title"] if with_title else [])]))
    return {
        "columns": columns,
        "encoding": encoding,
        "russian": russian_ok and draw(st.booleans()),
        "measures": measures,
        "days": days,
        "values": values,
        "titles": titles,
        "date_style": date_style,
        "number_styles": {m: draw(st.sampled_from(styles)) for m in measures},
        "placeholder": draw(st.sampled_from(PLACEHOLDERS)),
        "delimiter": draw(st.sampled_from([",", ";", "\t", "|"])),
        "ending": draw(st.sampled_from(["\n", "\r\n", "\r"])),
        "quoting": draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        "final_newline": draw(st.booleans()),
    }


def render(t: dict) -> bytes:
    columns = t["columns"]
    out = io.StringIO(newline="")
    quoting = t["quoting"]
    if t["ending"] == "\r" and any("\n" in title for title in t["titles"] or ()):
        # csv.writer quotes only the line terminator's own characters; exporters quote any newline.
        quoting = csv.QUOTE_ALL
    writer = csv.writer(out, delimiter=t["delimiter"], lineterminator=t["ending"], quoting=quoting)
    writer.writerow([SPELLINGS[c][1 if t["russian"] else 0] for c in columns])
    for i, day in enumerate(t["days"]):
        cells = {"date": DATE_STYLES[t["date_style"]](day), "title": t["titles"][i] if t["titles"] else ""}
        for m in t["measures"]:
            v = t["values"][m][i]
            cells[m] = t["placeholder"] if v is None else NUMBER_STYLES[t["number_styles"][m]](v)
        writer.writerow([cells[c] for c in columns])
    text = out.getvalue()
    if not t["final_newline"]:
        text = text[: -len(t["ending"])]
    return text.encode(t["encoding"])


def expected(t: dict) -> list[tuple]:
    rows = []
    for i, day in enumerate(t["days"]):
        measures = tuple(t["values"][m][i] if m in t["measures"] else None for m in MEASURES)
        title = t["titles"][i] if t["titles"] else None
        moment = datetime.combine(day, time(10, 30), tzinfo=UTC) if t["date_style"] == "iso_time" else None
        rows.append((day, *measures, title, moment))
    return rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables())
def test_any_dialect_reads_back_as_the_same_canonical_rows(write, table):
    path = write("table.csv", render(table))
    parsed, rows = read_all(path)
    assert parsed.detection.platform == "generic"
    # ROW_COLUMNS: line, date, 12 measures, post_id, title, url, published_at, extra
    assert [(r[1], *r[2:14], r[15], r[17]) for r in rows] == expected(table)
    assert all(r[18] is None for r in rows)
