"""The PDF report: what a client reads in it, its pages and charts, stable bytes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from core import metrics
from core.db import session_scope
from core.models import SocialFile
from core.reports.content import fmt_value
from core.reports.gather import report_data
from core.reports.pdf import build_pdf, clean
from tests.factories import make_user
from tests.reports.report_factories import CYRILLIC_NAME, post_rows, report_file

PINNED = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def _pdf(file_id, *, at: datetime = PINNED) -> tuple[bytes, dict]:
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        data = report_data(session, file=file, generated_at=at)
        stored = metrics.load(session, file=file)
    return build_pdf(data), {"data": data, "stored": stored}


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pdf_holds_the_file_name_and_every_kpi_value(posts_file):
    pdf, ctx = _pdf(posts_file)
    pages = _text(pdf)
    assert CYRILLIC_NAME in pages[0]  # Cyrillic, «», ₽ all drawn with the bundled DejaVu
    assert "YouTube" in pages[0]
    assert "Jan 31, 2024 – Feb 29, 2024" in pages[0]  # the period: last 30 days of the file
    assert "Generated Mar 5, 2024, 09:30 UTC" in pages[0]
    stored = ctx["stored"]
    for metric in metrics.CATALOGUE:
        value, previous = stored.current[metric.code], stored.previous[metric.code]
        if value is None and previous is None:
            assert metric.name in pages[0]  # listed once as "not in this export"
            continue
        table = pages[0].split("Key metrics", 1)[
            1
        ]  # below the summary, whose first words are metric names too
        line = next(line for line in table.splitlines() if line.startswith(metric.name + " "))
        assert fmt_value(metric.kind, value) in line
        assert fmt_value(metric.kind, previous) in line
    assert f"{int(stored.current['views']):,}" in pages[0]  # e.g. 882,937: a real, grouped number


def test_pdf_pages_are_numbered_and_charts_are_all_there(posts_file):
    pdf, _ = _pdf(posts_file)
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages in (
        3,
        4,
    )  # summary and KPIs; trends and top posts (the written summary may push them on); definitions
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {pages}" in page.extract_text()
    assert not any(page.images for page in reader.pages)  # charts are vector paths, not pictures
    text = "".join(page.extract_text() for page in reader.pages[1:-1])
    assert all(day in text for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))  # weekday axis
    for title in (
        "Views and engagements per day",
        "Engagement rate by views, % per day",
        "Subscribers (level)",
        "Mean engagements per post by weekday",
        "Top 10 posts by engagements",
    ):
        assert title in text
    appendix = reader.pages[-1].extract_text()
    for metric in metrics.CATALOGUE:
        assert metric.name in appendix


def test_same_data_same_bytes_and_the_creation_date_is_pinned(posts_file):
    first, _ = _pdf(posts_file)
    again, _ = _pdf(posts_file)
    assert first == again
    assert PdfReader(io.BytesIO(first)).metadata["/CreationDate"] == "D:20240305093000Z"
    later, _ = _pdf(posts_file, at=PINNED + timedelta(hours=1))
    assert later != first


def test_long_titles_wrap_inside_the_table(any_db):
    rows = post_rows(days=10)
    rows[5] |= {"title": "Очень длинное название видео, " * 8 + "конец", "likes": 10**6}
    pdf, ctx = _pdf(report_file(owner=make_user().id, rows=rows))
    long = ctx["data"].top_posts[0]
    runs = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            runs.append(
                (text.strip(), tm[5] * cm[3] + cm[5], tm[4] * cm[0] + cm[4])
            )  # pypdf may lead with " "

    head = clean(long.title)[:20]
    # The top posts' page (after the written summary it may be the second or the third).
    page = next(p for p in PdfReader(io.BytesIO(pdf)).pages[1:] if head in p.extract_text())
    page.extract_text(visitor_text=visit)
    start = next(i for i, (text, _y, _x) in enumerate(runs) if text.startswith(head))
    x0 = runs[start][2]
    lines = [(y, x) for _t, y, x in runs[start : start + 4] if abs(x - x0) < 1]
    assert len({round(y) for y, _ in lines}) >= 2  # the title went on over several lines
    assert all(x < page.mediabox.width for _t, _y, x in runs)


def test_english_day_rows_without_subscribers_draw_the_charts_they_can(any_db):
    rows = [
        {"date": date(2024, 5, 1) + timedelta(days=d), "views": 1000 + d * 10, "likes": 50 + d, "comments": 5}
        for d in range(14)
    ]
    file_id = report_file(
        owner=make_user().id, rows=rows, row_kind="days", name="instagram_may.csv", period_days=7
    )
    pdf, _ = _pdf(file_id)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "instagram_may.csv" in text
    assert "Mean engagements per day by weekday" in text
    assert "Subscribers (level)" not in text and "Subscribers gained" not in text
    for title in ("Views and engagements per day", "Engagement rate by views, % per day"):
        assert title in text  # with the weekdays: three charts, and no empty one for subscribers
    assert "Top " not in text  # rows are days, not posts


def test_text_the_font_lacks_is_dropped_not_a_crash():
    assert clean("Рецепт 🦄 за 300 ₽\x07") == "Рецепт за 300 ₽"
    assert clean("x" * 300, limit=10) == "x" * 9 + "…"


@pytest.fixture
def partial_history(any_db):
    """A file whose data start inside the previous period."""
    return report_file(owner=make_user().id, rows=post_rows(days=45), period_days=30)


def test_a_partly_covered_previous_period_is_pointed_out(partial_history):
    pdf, _ = _pdf(partial_history)
    assert "covered for 15 of its 30 days" in "".join(_text(pdf)[:2])


def test_a_change_too_small_to_show_reads_plus_minus_zero_not_a_fall():
    from decimal import Decimal

    from core.reports.content import Kpi, fmt_change

    tiny = Kpi(
        code="virality",
        label="Virality, %",
        explanation="",
        kind="pct",
        value=Decimal("0.5"),
        previous=Decimal("0.501"),
    )
    assert fmt_change(tiny) == "±0 pp"
    fall = Kpi(
        code="virality",
        label="Virality, %",
        explanation="",
        kind="pct",
        value=Decimal("0.5"),
        previous=Decimal("0.52"),
    )
    assert fmt_change(fall) == "−0.02 pp"
