"""Report use-cases: built once per file version, scoped to the file's owner, listed, opened, from the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from core import reports, storage
from core.config import get_settings
from core.db import session_scope
from core.files import FileNotFound
from core.models import ReportExport, SocialFile, User
from core.reports import gather
from tests.conftest import ROOT
from tests.factories import make_user
from tests.reports.report_factories import post_rows, report_file, reprocess


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """Every format actually rendered (a cached report renders nothing)."""
    calls: list[str] = []
    real = gather.render

    def counting(data, *, fmt):
        calls.append(fmt)
        return real(data, fmt=fmt)

    monkeypatch.setattr(gather, "render", counting)
    return calls


def _get(user_id: int, file_id, fmt: str = "pdf") -> ReportExport:
    with session_scope() as session:
        actor = session.get(User, user_id)
        return reports.get_or_create_report(session, actor=actor, file_id=file_id, fmt=fmt)


def _count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(ReportExport))


def test_a_report_is_written_under_reports_dir_and_recorded(owner, posts_file):
    report = _get(owner, posts_file)
    data = storage.get_store().read_bytes(report.path)
    assert data.startswith(b"%PDF-") and report.size_bytes == len(data)
    if get_settings().is_sqlite:  # the embedded default: a file under STORAGE_DIR
        assert Path(report.path).parent == get_settings().reports_dir
    else:  # in PostgreSQL, which every host reaches; nothing on this host's disk
        assert report.path == f"reports/{report.id}.pdf" and not get_settings().reports_dir.exists()
    assert (report.user_id, report.format, report.file_version, report.period_days) == (owner, "pdf", 1, 30)


def test_a_second_request_reuses_the_report_and_reprocessing_makes_it_stale(owner, posts_file, builds):
    first = _get(owner, posts_file)
    again = _get(owner, posts_file)
    assert again.id == first.id and builds == ["pdf"] and _count() == 1
    csv_report = _get(owner, posts_file, "csv")
    assert csv_report.id != first.id and builds == ["pdf", "csv"]

    reprocess(posts_file)
    fresh = _get(owner, posts_file)
    assert fresh.id != first.id and fresh.file_version == 2 and builds == ["pdf", "csv", "pdf"]
    with session_scope() as session:
        history = reports.list_reports(session, actor=session.get(User, owner))
    assert [(e.id, e.current) for e in history if e.format == "pdf"] == [(fresh.id, True), (first.id, False)]


def test_a_changed_period_or_a_lost_file_builds_again(owner, posts_file, builds):
    first = _get(owner, posts_file)
    with session_scope() as session:
        session.execute(update(SocialFile).where(SocialFile.id == posts_file).values(period_days=None))
    assert _get(owner, posts_file).id != first.id
    storage.get_store().delete([first.path])
    with session_scope() as session:
        session.execute(update(SocialFile).where(SocialFile.id == posts_file).values(period_days=30))
    assert _get(owner, posts_file).id != first.id and builds == ["pdf", "pdf", "pdf"]


def test_another_users_file_is_refused_and_an_admin_is_allowed(owner, posts_file):
    stranger, admin = make_user().id, make_user(role="admin").id
    with pytest.raises(FileNotFound):
        _get(stranger, posts_file)
    mine = _get(owner, posts_file)
    assert _get(admin, posts_file).id == mine.id  # the same report: it shows the same file
    with session_scope() as session:
        as_stranger = session.get(User, stranger)
        assert reports.list_reports(session, actor=as_stranger) == []
        with pytest.raises(reports.ReportNotFound):
            reports.open_report(session, actor=as_stranger, report_id=mine.id)
        name, data = reports.open_report(session, actor=session.get(User, admin), report_id=mine.id)
        everyone = reports.list_reports(session, actor=session.get(User, admin))
        owner_email = session.get(User, owner).email
    assert data == storage.get_store().read_bytes(mine.path) and name.endswith("_2024-01-31_2024-02-29.pdf")
    assert [e.owner_email for e in everyone] == [owner_email]


def test_open_report_gives_the_stored_bytes_under_a_readable_name(owner, posts_file):
    report = _get(owner, posts_file, "csv")
    with session_scope() as session:
        name, data = reports.open_report(session, actor=session.get(User, owner), report_id=str(report.id))
        with pytest.raises(reports.ReportNotFound):
            reports.open_report(session, actor=session.get(User, owner), report_id="not-a-uuid")
    assert name.endswith("_2024-01-31_2024-02-29.csv") and name.startswith("Отчёт канала")
    assert data.startswith("\ufeff".encode()) and "Кулинария".encode() in data


def test_a_file_that_is_not_ready_has_no_report(owner, posts_file):
    with session_scope() as session:
        session.execute(update(SocialFile).where(SocialFile.id == posts_file).values(status="processing"))
    with pytest.raises(reports.ReportUnavailable, match="processing"):
        _get(owner, posts_file)
    with pytest.raises(ValueError, match="format"):
        _get(owner, posts_file, "docx")


def test_the_worker_entry_point_builds_as_the_given_user(owner, posts_file):
    report = reports.generate_report(file_id=str(posts_file), fmt="csv", user_id=owner)
    assert storage.get_store().exists(report.path) and report.user_id == owner
    assert reports.generate_report(file_id=posts_file, fmt="csv", user_id=owner).id == report.id
    with pytest.raises(FileNotFound):
        reports.generate_report(file_id=posts_file, fmt="csv", user_id=make_user().id)


def test_the_command_line_writes_any_file_report(any_db, tmp_path, capsys):
    from core.cli import main

    file_id = report_file(owner=make_user().id, rows=post_rows(days=20), name="cli.csv")
    out = tmp_path / "out" / "report.pdf"
    assert main(["report", str(file_id), "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-") and capsys.readouterr().out.strip() == str(out)
    written = reports.cli_report(str(file_id), "csv", tmp_path)
    assert written.parent == tmp_path and written.suffix == ".csv" and written.name.startswith("cli_")


def test_the_reports_package_imports_neither_streamlit_nor_celery():
    import subprocess
    import sys

    code = "import sys, core.reports; print('streamlit' in sys.modules, 'celery' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]
