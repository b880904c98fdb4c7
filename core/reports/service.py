"""Report use-cases: one report per file version and format (reused), the history, downloads, the CLI."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import storage
from core.db import session_scope
from core.files import FileNotFound, get_file
from core.i18n import _, get_language
from core.models import Account, Brand, FileStatus, ReportExport, SocialFile, User, utcnow
from core.reports.content import ReportUnavailable

FORMATS = {"pdf": "application/pdf", "csv": "text/csv"}


class ReportNotFound(LookupError):
    """No such report for this user (another user's report looks exactly the same)."""


@dataclass(frozen=True)
class ReportEntry:
    """One line of the report history: a file's report, or an account's or brand's over a date range."""

    id: uuid.UUID
    file_id: uuid.UUID | None  # None for an account's or a brand's report
    file_name: str  # the file's name, or the account's or brand's
    owner_email: str
    format: str
    created_at: datetime
    size_bytes: int
    current: bool  # False once the file was processed again: the report shows older data
    download_name: str
    kind: str = "file"  # "file", "account" or "brand"
    platform: str | None = None  # an account's
    range_start: date | None = None  # an account's or a brand's report covers this range
    range_end: date | None = None


def _check_format(fmt: str) -> str:
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def safe_stem(name: str) -> str:
    """`name` as the start of a download's file name: only what a file system or a Content-Disposition
    header cannot take is replaced; «», — and ₽ stay."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "_", name)
    return " ".join(stem.split()).strip(" .")[:80] or "report"


def download_name(file: SocialFile, fmt: str) -> str:
    """A readable, safe file name: the upload's name, the period, the format."""
    stem = safe_stem(Path(file.original_name).stem)
    period = f"_{file.period_start}_{file.period_end}" if file.period_start and file.period_end else ""
    return f"{stem}{period}.{fmt}"


def _lock(session: Session, file: SocialFile, fmt: str) -> None:
    """Serialise builds of one file and format, so two clicks make one report (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        key = f"report:{file.id}:{fmt}"
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


def _cached(session: Session, file: SocialFile, fmt: str) -> ReportExport | None:
    query = (
        select(ReportExport)
        .where(
            ReportExport.file_id == file.id,
            ReportExport.format == fmt,
            ReportExport.file_version == file.version,
            ReportExport.period_days.is_not_distinct_from(file.period_days),
            ReportExport.data_key == _language_key(),
        )
        .order_by(ReportExport.created_at.desc())
    )
    store = storage.get_store()
    return next((r for r in session.scalars(query) if store.exists(r.path, session=session)), None)


def _language_key() -> str:
    """A file's report is kept per language: the Russian one is never handed to an English reader."""
    return f"lang:{get_language()}"


def build_report(
    session: Session, *, file: SocialFile, fmt: str, user_id: int | None, now: datetime | None = None
) -> ReportExport:
    """Build the report now, write it under REPORTS_DIR and record it (no cache lookup)."""
    if file.status != FileStatus.READY:
        raise ReportUnavailable(
            _('"{name}" is {status}: reports need a ready file.').format(
                name=file.original_name, status=file.status
            )
        )
    # Imported here, not at the top: rendering loads pandas, matplotlib and fpdf2 (about 130 MB), which
    # the processes that only list and serve reports (the API, the dashboard's pages) never need.
    from core.reports import gather

    now = now or utcnow()
    data = gather.render(gather.report_data(session, file=file, generated_at=now), fmt=fmt)
    report = ReportExport(id=uuid.uuid4(), file_id=file.id, user_id=user_id, format=fmt)
    store = storage.get_store()
    report.path = store.key("reports", f"{report.id}.{fmt}")
    report.period_days, report.file_version = file.period_days, file.version
    report.size_bytes, report.created_at, report.data_key = len(data), now, _language_key()
    store.write(report.path, [data], session=session)
    session.add(report)
    session.flush()
    return report


def get_or_create_report(
    session: Session, *, actor: User, file_id: uuid.UUID | str, fmt: str
) -> ReportExport:
    """The report of the actor's file in `fmt`: reused while the file is unchanged, else built now."""
    fmt = _check_format(fmt)
    file = get_file(session, actor=actor, file_id=file_id)
    _lock(session, file, fmt)
    return _cached(session, file, fmt) or build_report(session, file=file, fmt=fmt, user_id=actor.id)


def ready_report(
    session: Session, *, actor: User, file_id: uuid.UUID | str, fmt: str
) -> tuple[str, str] | None:
    """(download name, path) of the actor's file's current report in `fmt`, or None while it is not built.

    FileNotFound for a file the actor cannot see; ReportUnavailable when the file is not ready.
    """
    fmt = _check_format(fmt)
    file = get_file(session, actor=actor, file_id=file_id)
    if file.status != FileStatus.READY:
        raise ReportUnavailable(
            _('"{name}" is {status}: reports need a ready file.').format(
                name=file.original_name, status=file.status
            )
        )
    report = _cached(session, file, fmt)
    return (download_name(file, fmt), report.path) if report is not None else None


def _active(session: Session, user_id: int | None) -> User | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user if user is not None and user.is_active else None


def generate_report(*, file_id: uuid.UUID | str, fmt: str, user_id: int) -> ReportExport:
    """The worker's entry point: get or build the report as that user, in a transaction of its own."""
    with session_scope() as session:
        actor = _active(session, user_id)
        if actor is None:
            raise FileNotFound(str(file_id))
        return get_or_create_report(session, actor=actor, file_id=file_id, fmt=fmt)


def download(*, file_id: uuid.UUID | str, fmt: str, user_id: int) -> tuple[str, bytes]:
    """One click in the dashboard: (download name, bytes) of the report, reused or built now."""
    with session_scope() as session:
        actor = _active(session, user_id)
        if actor is None:
            raise FileNotFound(str(file_id))
        report = get_or_create_report(session, actor=actor, file_id=file_id, fmt=fmt)
        return open_report(session, actor=actor, report_id=report.id)


def report_file(*, report_id: uuid.UUID | str, user_id: int) -> tuple[str, bytes]:
    """A report from the history, again: (download name, bytes) if the user may see it."""
    with session_scope() as session:
        actor = _active(session, user_id)
        if actor is None:
            raise ReportNotFound(str(report_id))
        return open_report(session, actor=actor, report_id=report_id)


def _entries(session: Session, *, actor: User):
    """Every report the actor may see, with what it is of: a file, an account or a brand (whose owner
    owns the report; an admin sees all)."""
    owner = func.coalesce(SocialFile.user_id, Account.user_id, Brand.user_id)
    query = (
        select(ReportExport, SocialFile, Account, Brand, User.email)
        .outerjoin(SocialFile, SocialFile.id == ReportExport.file_id)
        .outerjoin(Account, Account.id == ReportExport.account_id)
        .outerjoin(Brand, Brand.id == ReportExport.brand_id)
        .join(User, User.id == owner)
    )
    return query if actor.is_admin else query.where(owner == actor.id)


def _entry(report: ReportExport, file: SocialFile | None, account, brand, email: str) -> ReportEntry:
    common = dict(id=report.id, owner_email=email, format=report.format, created_at=report.created_at,
                  size_bytes=report.size_bytes)  # fmt: skip
    if file is not None:
        current = report.file_version == file.version and report.period_days == file.period_days
        return ReportEntry(**common, file_id=file.id, file_name=file.original_name, current=current,
                           download_name=download_name(file, report.format))  # fmt: skip
    scope = account if account is not None else brand
    name = f"{safe_stem(scope.name)}_{report.range_start}_{report.range_end}.{report.format}"
    return ReportEntry(
        **common, file_id=None, file_name=scope.name, current=True, download_name=name,
        kind="account" if account is not None else "brand", platform=getattr(scope, "platform", None),
        range_start=report.range_start, range_end=report.range_end,
    )  # fmt: skip


def list_reports(session: Session, *, actor: User) -> list[ReportEntry]:
    """Reports of the actor's files, accounts and brands, newest first (an admin sees everyone's)."""
    query = _entries(session, actor=actor).order_by(ReportExport.created_at.desc(), ReportExport.id)
    return [_entry(*row) for row in session.execute(query)]


def open_report(session: Session, *, actor: User, report_id: uuid.UUID | str) -> tuple[str, bytes]:
    """(download name, bytes) of a report of the actor's file; ReportNotFound otherwise."""
    try:
        key = report_id if isinstance(report_id, uuid.UUID) else uuid.UUID(str(report_id))
    except ValueError as exc:
        raise ReportNotFound(str(report_id)) from exc
    row = session.execute(_entries(session, actor=actor).where(ReportExport.id == key)).first()
    try:
        data = None if row is None else storage.get_store().read_bytes(row.ReportExport.path, session=session)
    except FileNotFoundError:
        data = None
    if data is None:
        raise ReportNotFound(str(report_id))
    return _entry(*row).download_name, data


def cli_report(file_id: str, fmt: str, out: Path) -> Path:
    """`python -m core report`: write the report of any file to `out` (a directory: its own name inside)."""
    with session_scope() as session:
        system = User(id=None, email="cli@localhost", role="admin")  # transient: never added to the session
        report = get_or_create_report(session, actor=system, file_id=file_id, fmt=fmt)
        file = session.get(SocialFile, report.file_id)
        out = Path(out)
        target = out / download_name(file, report.format) if out.is_dir() else out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(storage.get_store().read_bytes(report.path, session=session))
    return target
