"""E-mail through SMTP_URL (smtp://[user:password@]host:port) from MAIL_FROM, with the standard library."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from core.config import get_settings


class MailError(RuntimeError):
    """E-mail is off (no SMTP_URL) or the server refused the message; the text says which."""


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    mime: str  # "application/pdf", "text/csv"


def _server(url: str) -> tuple[str, int, str | None, str | None, bool]:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailError(f"SMTP_URL must look like smtp://[user:password@]host:port, not {url!r}")
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return parts.hostname, port, user, password, parts.scheme == "smtps"


def message(
    *, to: list[str], subject: str, body: str, attachments: list[Attachment], language: str
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = get_settings().mail_from
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg.set_content(body)
    for item in attachments:
        main, sub = item.mime.split("/", 1)
        msg.add_attachment(item.data, maintype=main, subtype=sub, filename=item.name)
    msg["Content-Language"] = language  # after the parts: set_content moves Content-* headers into them
    return msg


def send(msg: EmailMessage, *, timeout: float = 30) -> None:
    """Hand the message to the SMTP server; MailError when e-mail is off or the server refuses it."""
    url = get_settings().smtp_url
    if not url:
        raise MailError("E-mail is off: set SMTP_URL (smtp://host:port) to send reports.")
    host, port, user, password, tls = _server(url)
    client = smtplib.SMTP_SSL if tls else smtplib.SMTP
    try:
        with client(host, port, timeout=timeout) as smtp:
            if user:
                if not tls and smtp.has_extn("starttls"):
                    smtp.starttls()
                smtp.login(user, password or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"The mail server at {host}:{port} did not take the message: {exc}") from exc
