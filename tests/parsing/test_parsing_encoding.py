"""Reading the bytes: code pages, UTF-16 without a BOM, delimiters sniffed over many rows."""

from __future__ import annotations

from datetime import date

import pytest

from core.parsing.reader import sniff_delimiter
from core.parsing.source import choose_code_page


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Дата;Просмотры;Охват;Подписчики;Лайки;Комментарии;Репосты", "cp1251"),
        ("Итоговое значение", "cp1251"),
        ("Café Barcelona, Cataluña; Järfälla; São Paulo; Kraków", "cp1252"),
        ("#finance\u00a0#money’s", "cp1252"),  # the same bytes in both: Latin text wins
    ],
)
def test_code_page_gives_plausible_text(text, encoding):
    raw = text.encode("cp1252", errors="ignore") if encoding == "cp1252" else text.encode("cp1251")
    assert choose_code_page(raw) == encoding


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Дата;Охват;Показы\n01.03.2024;1,5;2,5\n02.03.2024;3,5;4\n", ";"),
        ("date\tviews\ttitle\n2024-03-01\t5\ta, b, c\n2024-03-02\t6\td, e\n", "\t"),
        ("date|views\n2024-03-01|5\n", "|"),
        ('date,title,views\n2024-03-01,"a; b; c",5\n2024-03-02,d;e,6\n2024-03-03,f,7\n', ","),
    ],
)
def test_delimiter_is_sniffed_over_many_rows(text, delimiter):
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_by_its_zero_bytes(write, encoding):
    from tests.parsing.conftest import read_all

    table, rows = read_all(write("u.csv", "Дата,Просмотры\n2024-03-01,5\n".encode(encoding)))
    assert table.detection.encoding == encoding and table.detection.mapping == {
        "Дата": "date",
        "Просмотры": "views",
    }
    assert rows[0][:3] == (2, date(2024, 3, 1), 5)
