"""Reports by e-mail: the PDF (and the CSV) attached to a short message in the report's language."""

from __future__ import annotations

from pathlib import Path

from core.i18n import _, get_language
from core.mail import Attachment, message, send
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


def title_of(path: Path) -> str:
    """'Acme · VK 2026-11-01 – 2026-11-30' from a report's download name `<name>_<start>_<end>.<fmt>`."""
    parts = path.stem.rsplit("_", 2)
    return f"{parts[0]} {parts[1]} – {parts[2]}" if len(parts) == 3 else path.stem
