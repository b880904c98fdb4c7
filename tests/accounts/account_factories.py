"""Users and tiny exports for the accounts tests: CSV text written to disk, ingested through the pipeline."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from core import cli_ingest, users
from core.db import session_scope
from core.models import User


def actor(email: str) -> User:
    with session_scope() as session:
        return users.get_user_by_email(session, email=email)


def day_csv(path: Path, start: date, views: list[int], *, likes: int = 1) -> Path:
    """A day export: one row per date from `start`, the given views, `likes` likes a day."""
    lines = ["date,views,likes"]
    lines += [f"{start + timedelta(days=i)},{v},{likes}" for i, v in enumerate(views)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def post_csv(path: Path, posts: list[tuple[str, date, int, int]]) -> Path:
    """A post export: (post_id, date, views, likes) per row."""
    lines = ["post_id,title,date,views,likes"]
    lines += [f"{pid},Post {pid},{day},{views},{likes}" for pid, day, views, likes in posts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(path: Path, email: str, **kwargs) -> dict:
    result = cli_ingest.ingest_path(path, email=email, **kwargs)
    assert result["status"] == "ready", result
    return result
