"""Reports by e-mail: the PDF (and the CSV) attached to a short message in the report's language."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from core.i18n import _, get_language
from core.mail import Attachment, message, send
from core.models import User
from core.reports.service import FORMATS


def mail_reports(*, to: list[str], paths: list[Path], title: str) -> None:
    """Send the report files at `paths` to `to` in one message titled with the account or brand and range."""
    mail_files(to=to, files=[(p.name, p.read_bytes()) for p in paths], title=title)


def mail_files(*, to: list[str], files: list[tuple[str, bytes]], title: str) -> None:
    """Send (attachment name, bytes) report files to `to` in one message titled with `title`."""
    subject = _("Report: {title}").format(title=title)
    body = _("Hello,\n\nthe report «{title}» is attached.\n\nSocial Analytics").format(title=title)
    attachments = [Attachment(name, data, FORMATS[name.rsplit(".", 1)[-1]]) for name, data in files]
    send(message(to=to, subject=subject, body=body, attachments=attachments, language=get_language()))


def send_scope_report(
    session: Session, *, actor: User, scope, span, formats: tuple[str, ...] | list[str], to: list[str]
) -> None:
    """Build (or reuse) an account's or brand's report over `span` in each format, in the current
    language, and mail them in one message: what a scheduled run, "send now" and `report --email` do."""
    from core import storage
    from core.reports.scoped import get_or_create_scope_report, scope_download_name

    files = []
    for fmt in formats:
        report = get_or_create_scope_report(session, actor=actor, scope=scope, span=span, fmt=fmt)
        data = storage.get_store().read_bytes(report.path, session=session)
        files.append((scope_download_name(scope, span, fmt), data))
    mail_files(to=to, files=files, title=f"{scope.name} {span.start} – {span.end}")


def mail_scope_report(
    *, actor: User, account: str | int | None = None, brand: str | int | None = None, start=None, end=None,
    period_days: int | None = None, formats: list[str], to: list[str],
) -> None:  # fmt: skip
    """`report --account/--brand --email`: the report over the range picked as on the command line, sent."""
    from core.db import session_scope
    from core.reports.scoped import resolve_scope, scope_span

    with session_scope() as session:
        actor = session.merge(actor)
        scope = resolve_scope(session, actor=actor, account=account, brand=brand)
        span = scope_span(session, scope, start=start, end=end, period_days=period_days)
        send_scope_report(session, actor=actor, scope=scope, span=span, formats=formats, to=to)


def title_of(path: Path) -> str:
    """'Acme · VK 2026-11-01 – 2026-11-30' from a report's download name `<name>_<start>_<end>.<fmt>`."""
    parts = path.stem.rsplit("_", 2)
    return f"{parts[0]} {parts[1]} – {parts[2]}" if len(parts) == 3 else path.stem
