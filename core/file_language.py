"""What the worker writes about a file: in its owner's language, and recorded so every viewer reads it in theirs.

The worker runs each step of a file inside `speaking(file_id)`: `_()` and `ngettext()` then return
core.i18n.Msg, whose records are stored (error_message, warnings, the detection's notes and formats) and
rendered by core.i18n.render when shown (`error_shown`, by pages and the command line); error_text stays plain
text in the owner's language for the REST API.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from core.db import session_scope
from core.i18n import recording, render, to_record, use_language
from core.models import SocialFile, User


def recorded(detection: dict) -> dict:
    """The detection as stored: its notes and formats as message records."""
    detection["notes"] = [to_record(n) for n in detection.get("notes") or []]
    detection["formats"] = {k: to_record(v) for k, v in (detection.get("formats") or {}).items()}
    return detection


@contextmanager
def speaking(file_id: uuid.UUID) -> Iterator[None]:
    """Messages are recorded (each viewer reads them in their language) and written in the owner's."""
    with session_scope() as session:
        language = session.scalar(
            select(User.language)
            .join(SocialFile, SocialFile.user_id == User.id)
            .where(SocialFile.id == file_id)
        )
    with use_language(language), recording():
        yield


def error_shown(file: SocialFile) -> str | None:
    """The file's error (or retry note) in the current language: its stored record, else its text."""
    return render(file.error_message) if file.error_message is not None else file.error_text
