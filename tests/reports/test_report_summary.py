"""The written summary (rules over the numbers) and the branded PDF, in Russian and in English."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader

from core.i18n import use_language
from core.metrics import BY_CODE
from core.reports.content import Kpi, Letterhead, Point, Post, ReportData
from core.reports.pdf import build_pdf
from core.reports.summary import summarise

PINNED = datetime(2026, 12, 1, 9, 30)


def _kpi(code: str, value, previous) -> Kpi:
    m = BY_CODE[code]
    return Kpi(m.code, m.label, m.explanation, m.kind, value, previous)


def _data(**changes) -> ReportData:
    kpis = [
        _kpi("views", Decimal(98200), Decimal(100000)),  # −1.8 %
        _kpi("engagements", Decimal(5000), Decimal(4000)),  # +25 %
        _kpi("comments", Decimal(300), Decimal(200)),  # +50 %: the biggest rise
        _kpi("shares", Decimal(50), Decimal(100)),  # −50 %: the biggest fall
        _kpi("er_views", Decimal("5.09"), Decimal("5.01")),  # +0.08 pp
        _kpi("best_weekday", "Thursday", "Monday"),
    ]
    base = ReportData(
        file_name="export.csv",
        platform="vk",
        row_kind="posts",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        previous_start=date(2026, 10, 2),
        previous_end=date(2026, 10, 31),
        generated_at=PINNED,
        kpis=kpis,
        daily=[Point(day=date(2026, 11, d), views=1) for d in range(1, 31)],
        top_posts=[
            Post("Борщ за 20 минут", None, date(2026, 11, 5), 9000, 700),
            Post("Пирог", None, date(2026, 11, 9), 4000, 300),
        ],
        weakest_post=Post("Чай", None, date(2026, 11, 20), 100, 3),
        best_hour=18,
        title="Кулинария · VK",
    )
    return replace(base, **changes)


def test_the_russian_summary_reads_like_the_issue_example():
    with use_language("ru"):
        lines = summarise(_data())
    assert lines[0] == (
        "Просмотры −1,80 %, взаимодействия +25,00 %, ER +0,08 п.п.; лучший день — четверг, лучший час — 18:00."
    )
    assert lines[1] == "Самый большой рост — комментарии +50,00 %; самое большое падение — репосты −50,00 %."
    assert lines[2] == (
        "Лучшая публикация — «Борщ за 20 минут» (взаимодействий: 700); слабейшая — «Чай» (взаимодействий: 3)."
    )
    assert len(lines) == 3  # the data cover the whole period: no note


def test_the_english_summary_says_the_same():
    with use_language("en"):
        lines = summarise(_data())
    assert (
        lines[0] == "Views −1.80%, engagements +25.00%, ER +0.08 pp; best day — Thursday, best hour — 18:00."
    )
    assert lines[1] == "The biggest rise: comments +50.00%; the biggest fall: shares −50.00%."


def test_partial_data_is_pointed_out():
    data = _data(daily=[Point(day=date(2026, 11, d)) for d in range(1, 11)], partial_previous=True)
    with use_language("ru"):
        note = summarise(data)[-1]
    assert note == (
        "Данные неполные: данные есть за 10 из 30 дней периода; предыдущий период покрыт лишь частично, "
        "поэтому сравнение неравноценно."
    )


def test_no_previous_period_no_changes_claimed():
    kpis = [_kpi("views", Decimal(10), None), _kpi("best_weekday", "Friday", None)]
    with use_language("en"):
        lines = summarise(_data(kpis=kpis, top_posts=[], weakest_post=None, best_hour=None))
    assert lines == ["Best day — Friday."]


def _logo(tmp_path, fmt: str):
    path = tmp_path / f"logo.{fmt.lower()}"
    if fmt == "SVG":
        path.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30" viewBox="0 0 80 30"><rect width="80" height="30" fill="#0a7"/></svg>'
        )
    else:
        Image.new("RGB", (160, 60), (0, 170, 119)).save(path, fmt)
    return path


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "SVG"])
def test_the_branded_pdf_has_the_brand_title_logo_colour_and_page_numbers(tmp_path, fmt):
    head = Letterhead(name="Acme", colour="#c2410c", logo=_logo(tmp_path, fmt))
    with use_language("ru"):
        data = _data(letterhead=head)
        pdf = build_pdf(replace(data, summary=summarise(data)))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Кулинария · VK · 01.11.2026 – 30.11.2026"
    first = reader.pages[0].extract_text()
    assert "ACME · ОТЧЁТ ОБ ЭФФЕКТИВНОСТИ В СОЦСЕТЯХ" in first
    assert "Кулинария · VK" in first and "Коротко" in first and "лучший день — четверг" in first
    last = reader.pages[-1].extract_text()
    assert f"Страница {len(reader.pages)} из {len(reader.pages)}" in last
    # The cover is filled with the brand's colour (fpdf writes it as "r g b rg" before the block).
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    assert f"{0xC2 / 255:.4f} {0x41 / 255:.4f} {0x0C / 255:.4f} rg" in content
    if fmt != "SVG":  # an SVG is drawn as vector paths, not an image XObject
        assert len(reader.pages[0].images) == 1


def test_an_unbranded_report_keeps_the_navy_cover_and_the_file_name(tmp_path):
    with use_language("en"):
        pdf = build_pdf(_data(title=None))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "export.csv · Nov 1, 2026 – Nov 30, 2026"
    assert "export.csv" in reader.pages[0].extract_text()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdftotext_reads_the_cyrillic_back():
    with use_language("ru"):
        data = _data()
        pdf = build_pdf(replace(data, summary=summarise(data)))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Просмотры −1,80 %, взаимодействия +25,00 %, ER +0,08 п.п." in text
    assert "Ключевые метрики" in text and "Приложение: как считается каждая метрика" in text
