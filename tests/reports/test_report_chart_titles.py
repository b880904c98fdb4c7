"""Chart titles and legends stay inside their 92 mm chart box, in English and in Russian, whole.

An account's report (ingested through the pipeline) is given the charts with the longest titles
each language has: weekly and monthly averages, subscribers gained − lost, posts by hour beside
followers online (two legend entries). Where each title's words end is read back from the PDF
by pdftotext (-bbox), independently of how fpdf2 measured them.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core import timeline
from core.db import session_scope
from core.i18n import _, use_language
from core.models import User
from core.reports.charts import build_charts
from core.reports.content import Point
from core.reports.gather import render
from core.reports.page import MARGIN
from core.reports.scoped import scope_report_data, scope_span
from tests.accounts.account_factories import ingest, post_csv
from tests.factories import make_user

MM = 72 / 25.4  # PDF points per mm
BOX = 92  # a chart's width, mm (core.reports.pdf)
PINNED = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)


def _points(grain: str) -> list[Point]:
    step = {"week": 7, "month": 30}[grain]
    first = date(2024, 1, 1)
    return [
        Point(day=first + timedelta(days=step * i), views=900_000 + 37_000 * i, engagements=41_000 + 900 * i,
              subscribers_net=(-1) ** i * 1_200 + 300 * i, days=step)
        for i in range(14)
    ]  # fmt: skip


@pytest.fixture
def account_report(any_db, tmp_path):
    make_user("anna@example.com")
    posts = [(f"p{i}", date(2024, 1, 1) + timedelta(days=i), 1_000 + 10 * i, 40 + i) for i in range(90)]
    out = ingest(post_csv(tmp_path / "posts.csv", posts), "anna@example.com")

    def build(language: str, *, grain: str, hours: bool) -> tuple[bytes, list[str], list[str]]:
        with use_language(language), session_scope() as session:
            actor = session.query(User).filter_by(email="anna@example.com").one()
            scope = timeline.account_scope(session, actor=actor, account_id=out["account"]["id"])
            span = scope_span(session, scope, start=None, end=None, period_days=None)
            data = scope_report_data(session, scope=scope, span=span, generated_at=PINNED)
            data = dataclasses.replace(
                data,
                grain=grain,
                chart_series=_points(grain),
                hours=[(h, Decimal(10 + h % 7)) for h in range(24)] if hours else [],
                online=[(h, 500.0 + 40 * h) for h in range(24)],
            )
            charts = build_charts(data)
            legend = ["Mean engagements per post", "Followers online"] if hours else []
            return render(data, fmt="pdf"), [c.title for c in charts], legend

    return build


def _words(pdf: bytes, tmp_path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page: (word, xMin, xMax, yMin, yMax) in points, as pdftotext -bbox places them."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    pages = []
    for page in html.stdout.split("<page ")[1:]:
        found = re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        )
        pages.append([(w, float(a), float(b), float(y0), float(y1)) for a, y0, b, y1, w in found])
    return pages


def _runs(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page: (text, x, y from the top) of each text run in stream order (pypdf)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs, height = [], float(page.mediabox.height)

        def visit(text, cm, tm, _font, _size, runs=runs, height=height):
            if text.strip():
                runs.append((text.strip(), tm[4] * cm[0] + cm[4], height - (tm[5] * cm[3] + cm[5])))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def _lines_of(runs, title: str) -> list[tuple[str, float, float]]:
    """The consecutive runs that spell `title` (one per line it was set in)."""
    for start in range(len(runs)):
        spelled = ""
        for end in range(start, len(runs)):
            spelled = f"{spelled} {runs[end][0]}".strip()
            if spelled == title:
                return runs[start : end + 1]
            if not title.startswith(spelled):
                break
    return []


def _right_edge(line: tuple[str, float, float], words) -> float:
    """Where the words of a run end on the page: its last word, on its line, from its x on."""
    text, x, y = line
    count = len(text.split())
    on_line = sorted((w for w in words if w[3] < y < w[4] and w[1] >= x - 1), key=lambda w: w[1])
    assert [w[0] for w in on_line[:count]] == text.split()
    return on_line[count - 1][2]


CASES = [("en", "week", True), ("en", "month", False), ("ru", "week", True), ("ru", "month", False)]


@pytest.mark.parametrize(("language", "grain", "hours"), CASES)
def test_chart_titles_and_legends_fit_their_box_and_are_whole(
    account_report, tmp_path, language, grain, hours
):
    pdf, titles, legend = account_report(language, grain=grain, hours=hours)
    assert len(titles) == 5
    words, runs = _words(pdf, tmp_path), _runs(pdf)
    with use_language(language):
        legend = [_(label) for label in legend]
    checked = 0
    for title in titles + legend:
        found = [(n, lines) for n, page in enumerate(runs) if (lines := _lines_of(page, title))]
        assert found, f"{title!r} is not in the PDF whole"
        page, lines = found[0]
        left = lines[0][1]
        box_left = MARGIN * MM if left < (MARGIN + BOX + 1) * MM else (MARGIN + BOX + 2) * MM
        assert left >= box_left - 0.5
        for line in lines:
            assert _right_edge(line, words[page]) <= box_left + BOX * MM, (title, line[0])
        checked += 1
    assert checked == len(titles) + len(legend)
    longest = max(titles, key=len)
    assert len(_lines_of(runs[next(n for n, p in enumerate(runs) if _lines_of(p, longest))], longest)) == 2
