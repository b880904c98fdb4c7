"""The marketer's journey in a real browser: first-run admin setup → log out → log in → upload a real
TikTok export → it reaches Ready on screen without a reload → the KPI cards and a chart show the
right numbers → one click on "Download PDF" gives a report holding those numbers (and so does a
small Russian VK export with a Cyrillic file name) → the Reports page lists both → compare with a
YouTube export → log out. The report's first page is rendered to artifacts/browser/report-page1.png.

Extend the journey with `continue_from_explorer(page, shots)` (see its docstring)."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS
from tests.browser.steps import (
    CARD_DAYS,
    CHART_TITLED,
    PERIOD_DAYS,
    RUSSIAN,
    RUSSIAN_NAME,
    TIKTOK,
    YOUTUBE,
    explore_files,
    first_run_setup,
    go_to,
    log_in,
    log_out,
    metric_values,
    plotted,
    settle,
    upload_and_watch,
)
from tests.conftest import need

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass(frozen=True)
class Expected:
    """The numbers a marketer should see, computed from the CSV itself (not by our code)."""

    views: int
    engagements: int
    previous_views: int
    daily_views: list[int]
    card_views: int  # the Dashboard's account card: the last 28 days, against the 28 before
    card_engagements: int
    card_previous_views: int


def expected_from_csv() -> Expected:
    """One row per day, oldest first, ending on the export day: the period is the last 30 rows."""
    with open(TIKTOK, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    current, previous = rows[-PERIOD_DAYS:], rows[-2 * PERIOD_DAYS : -PERIOD_DAYS]
    return Expected(
        views=sum(int(r["Video Views"]) for r in current),
        engagements=sum(int(r["Likes"]) + int(r["Comments"]) + int(r["Shares"]) for r in current),
        previous_views=sum(int(r["Video Views"]) for r in previous),
        daily_views=[int(r["Video Views"]) for r in current],
        card_views=sum(int(r["Video Views"]) for r in rows[-CARD_DAYS:]),
        card_engagements=sum(
            int(r["Likes"]) + int(r["Comments"]) + int(r["Shares"]) for r in rows[-CARD_DAYS:]
        ),
        card_previous_views=sum(int(r["Video Views"]) for r in rows[-2 * CARD_DAYS : -CARD_DAYS]),
    )


def check_kpis(page, shots, expected: Expected) -> None:
    """The Dashboard's account card shows the numbers computed from the CSV."""
    go_to(page, "Dashboard")
    page.locator("[data-testid='stMetric']").first.wait_for()
    cards = metric_values(page)
    shots("kpi cards")
    assert cards["Views"][0] == f"{expected.card_views:,}"
    assert cards["Engagements"][0] == f"{expected.card_engagements:,}"
    change = expected.card_views - expected.card_previous_views
    assert re.sub(r"\s+", " ", cards["Views"][1]).startswith(f"{change:+,} (")


def check_chart(page, shots, expected: Expected) -> None:
    explore_files(page)
    page.locator(".js-plotly-plot").first.wait_for()
    traces = plotted(page, "Views and engagements")
    assert traces is not None
    views = next(t for t in traces if t["name"] == "Views")
    assert views["y"] == expected.daily_views
    assert sum(views["y"]) == expected.views
    shots("explorer")
    # One chart at a time: its tab; another tab draws its chart in place of the first.
    page.get_by_role("tab", name="ER", exact=True).click()
    page.wait_for_function(CHART_TITLED, arg="ER by views, %")
    assert plotted(page, "Views and engagements") is None
    assert len(plotted(page, "ER by views, %")[0]["y"]) == len(expected.daily_views)
    shots("explorer, ER tab")
    page.get_by_role("tab", name="Views and engagements", exact=True).click()
    page.wait_for_function(CHART_TITLED, arg="Views and engagements")


def shown_metrics(page) -> dict[str, str]:
    """The Explorer's "All metrics" table for the one file shown: {metric name: value as shown}."""
    page.locator("table.sa-metrics").wait_for()
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('table.sa-metrics tbody tr')].map(
            tr => [tr.querySelector('th').innerText.trim(), tr.querySelector('td').innerText.trim()]))"""
    )


def download_pdf(page, shots, *, stem: str) -> tuple[Path, str]:
    """One click on the Explorer's "Download PDF": the saved PDF and its text (all pages)."""
    settle(page)
    widget = page.locator("[class*='st-key-explorer_report_pdf_']")
    assert widget.count() == 1, "one file is shown, so one Download PDF button"
    button = widget.locator("button:visible")  # Streamlit also keeps a hidden copy of a button
    with page.expect_download() as download:
        button.click()
    name = download.value.suggested_filename
    assert name.startswith(stem) and name.endswith(".pdf"), name  # the upload's name, the period, .pdf
    path = ARTIFACTS / name
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    settle(page)
    shots(f"pdf of {stem[:20]}" if stem.isascii() else "pdf of the russian file")
    return path, "\n".join(p.extract_text() for p in PdfReader(path).pages)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("%", "").replace("\u2212", "-").strip())


def check_pdf_metrics(text: str, shown: dict[str, str]) -> None:
    """Every metric the Explorer shows has the same value in the PDF's key-metrics table (the PDF
    rounds rates to 2 places and writes a minus as −; a dash means the export lacks the figure)."""
    table = text[text.index("Key metrics") :].splitlines()
    checked = 0
    for metric, value in shown.items():
        if value == "—":
            continue
        line = next((ln for ln in table if ln.startswith(metric + " ")), None)
        assert line is not None, f"{metric} ({value} on screen) is not in the PDF's key metrics"
        in_pdf = line[len(metric) + 1 :].split()[0]
        if re.fullmatch(r"[A-Za-z]+", in_pdf):  # a text metric such as the best weekday
            assert in_pdf == value, metric
        else:
            places = Decimal(1).scaleb(_number(in_pdf).as_tuple().exponent)
            assert _number(value).quantize(places) == _number(in_pdf), (metric, value, line)
        checked += 1
    assert checked >= 5, shown


def check_report(page, shots, *, file_name: str) -> Path:
    """The PDF of the file the Explorer shows: its name, the numbers on screen, several pages."""
    shown = shown_metrics(page)
    path, text = download_pdf(page, shots, stem=Path(file_name).stem)
    assert file_name in text
    assert len(PdfReader(path).pages) >= 2  # KPIs and charts, then the definitions appendix
    for label in ("Views", "Engagements"):
        value = shown[label]
        assert value in text, f"{label} {value} is not in the PDF"
    check_pdf_metrics(text, shown)
    return path


def check_history(page, shots, pdfs: dict[str, Path]) -> None:
    """The Reports page lists each PDF (file name, format); downloading one again gives the same bytes."""
    go_to(page, "Reports")
    rows = page.locator("[data-testid='stVerticalBlock'][class*='st-key-reports_row_']")
    for file_name in pdfs:
        row = rows.filter(has_text=file_name)
        row.first.wait_for()
        assert row.count() == 1, f"{file_name} has one report, listed once"
        assert row.get_by_text("PDF", exact=True).count() == 1
        assert re.search(r"\d+ KB", row.inner_text()), row.inner_text()
    shots("reports history")
    file_name, first = next(iter(pdfs.items()))
    settle(page)
    with page.expect_download() as again:
        rows.filter(has_text=file_name).locator("[class*='st-key-reports_download_'] button:visible").click()
    assert again.value.suggested_filename == first.name
    assert Path(again.value.path()).read_bytes() == first.read_bytes(), "the same report, reused"


def continue_from_explorer(page, shots) -> dict[str, Path]:
    """Run while the Explorer shows the TikTok export, signed in: its PDF in one click; a Russian
    export's PDF likewise; the Reports page lists both. Returns {file name: saved PDF}."""
    pdfs = {TIKTOK.name: check_report(page, shots, file_name=TIKTOK.name)}
    upload_and_watch(page, shots, RUSSIAN, "VK · Last 30 days · 60 rows", name=RUSSIAN_NAME)
    explore_files(page)  # the newest ready file is shown first
    page.get_by_text(RUSSIAN_NAME, exact=True).first.wait_for()  # the date range's label
    pdfs[RUSSIAN_NAME] = check_report(page, shots, file_name=RUSSIAN_NAME)
    check_history(page, shots, pdfs)
    return pdfs


def render_first_page(pdf: Path, png: Path) -> None:
    """Page 1 as a PNG for people to look at (poppler's pdftoppm); the last step, as it may skip."""
    if shutil.which("pdftoppm") is None:
        need("pdftoppm", "poppler-utils is not installed; install it with: apt-get install -y poppler-utils")
    png.unlink(missing_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(png.with_suffix(""))], check=True, timeout=30)  # fmt: skip
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000


def compare_with_youtube(page, shots) -> None:
    """A second platform, compared side by side with the first in the explorer."""
    upload_and_watch(page, shots, YOUTUBE, "YouTube · Last 30 days · 450 rows")
    explore_files(page)
    settle(page)
    search = page.locator("[data-testid='stMultiSelect'] input").first
    search.fill("tiktok")
    page.get_by_role("option").filter(has_text=TIKTOK.name).first.click()
    page.keyboard.press("Escape")
    # One chart, both files: YouTube's views; TikTok's views and engagements (YouTube's export has none).
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')].some(
            el => el.data && el.data.length === 3)"""
    )
    names = [t["name"] for t in plotted(page, "Views and engagements")]
    assert sorted(n.split(" (")[0] + n.split(")")[-1] for n in names) == [
        f"{TIKTOK.name} · Engagements",
        f"{TIKTOK.name} · Views",
        f"{YOUTUBE.name} · Views",
    ]
    shots("compared")


def test_first_run_to_ready_file_to_kpis_and_chart(app_url, page, shots):
    expected = expected_from_csv()
    page.goto(app_url)
    first_run_setup(page, shots)
    log_out(page, shots)
    log_in(page, shots)
    upload_and_watch(page, shots)
    check_kpis(page, shots, expected)
    check_chart(page, shots, expected)
    pdfs = continue_from_explorer(page, shots)
    compare_with_youtube(page, shots)
    log_out(page, shots)
    assert page.get_by_role("heading", name="Dashboard").count() == 0
    render_first_page(pdfs[TIKTOK.name], ARTIFACTS / "report-page1.png")
    render_first_page(pdfs[RUSSIAN_NAME], ARTIFACTS / "report-ru-page1.png")
