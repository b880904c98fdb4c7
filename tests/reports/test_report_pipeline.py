"""Reports of files that went through the real pipeline: upload, parse, load, metrics, report."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from core import files, pipeline, reports, uploads
from core.db import session_scope
from core.models import User
from tests.conftest import REAL_EXPORTS, ROOT
from tests.factories import make_user

ARTIFACTS = ROOT / "artifacts"


def russian_posts_csv(days: int = 40) -> bytes:
    """A Russian export: Cyrillic headers and titles, `;` delimiter, D.M.Y dates, a rouble sign."""
    lines = ["Дата;Название;Просмотры;Лайки;Комментарии;Подписчики"]
    for d in range(days):
        day = date(2024, 3, 1) + timedelta(days=d)
        for k in range(2):
            title = f"Пост {d}-{k}: скидка 990 ₽ на «Рецепты»" if k else f"Обзор новинок, день {d}"
            lines.append(f"{day:%d.%m.%Y};{title};{1000 + 37 * d + k};{40 + d};{3 + k};{5000 + 11 * d}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _upload(user_id: int, name: str, data: bytes, *, period_days: int | None = 30):
    with session_scope() as session:
        actor = session.get(User, user_id)
        file = uploads.create_upload(session, actor=actor, name=name, data=data, period_days=period_days)
        file_id = file.id
    pipeline.process_file(file_id)
    return file_id


def test_a_russian_upload_gives_a_russian_report_and_reprocessing_renews_it(any_db):
    owner = make_user().id
    file_id = _upload(owner, "Канал «Рецепты» — март.csv", russian_posts_csv())
    name, pdf = reports.download(file_id=file_id, fmt="pdf", user_id=owner)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Канал «Рецепты» — март.csv" in text and "990 ₽" in text
    assert name.endswith(".pdf")
    first = reports.generate_report(file_id=file_id, fmt="pdf", user_id=owner)

    with session_scope() as session:
        files.retry_file(session, actor=session.get(User, owner), file_id=file_id)
    pipeline.process_file(file_id)  # processing again bumps the file's version
    renewed = reports.generate_report(file_id=file_id, fmt="pdf", user_id=owner)
    assert renewed.id != first.id and renewed.file_version == first.file_version + 1


@pytest.mark.parametrize(
    "export",
    [
        "tiktok__htupycollabs-spec__Analytics__Overview.csv",
        "youtube__billmengg__YTAnalytics__Date.csv",
        "twitter__ropensci-org__ropensci-tweets__tweet_activity_metrics_rOpenSci_20211101_20211201_en.csv",
    ],
)
def test_real_exports_give_a_pdf_and_a_csv(sqlite_db, export):
    owner = make_user().id
    file_id = _upload(owner, export, (REAL_EXPORTS / export).read_bytes())
    _, pdf = reports.download(file_id=file_id, fmt="pdf", user_id=owner)
    _, table = reports.download(file_id=file_id, fmt="csv", user_id=owner)
    reader = PdfReader(io.BytesIO(pdf))
    assert (
        export in " ".join(reader.pages[0].extract_text().split()).replace(" ", "") or len(reader.pages) >= 2
    )
    assert "Trends" in " ".join(page.extract_text() for page in reader.pages)  # at least one chart
    assert (
        table.startswith(b"\xef\xbb\xbf")
        and b'"code","metric","value","previous","change","change_pct"' in table
    )


def test_first_page_rendered_to_png_for_a_look(sqlite_db):
    """Keeps page 1 of a report as artifacts/report-page1.png (pdftoppm, as the browser journey does)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    owner = make_user().id
    file_id = _upload(owner, "Канал «Рецепты» — март.csv", russian_posts_csv())
    _, pdf = reports.download(file_id=file_id, fmt="pdf", user_id=owner)
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(ARTIFACTS / "report-page1"),
        ],
        check=True,
    )
    png = Path(ARTIFACTS / "report-page1.png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 20_000
