"""Report test data: users and ready files whose rows and metrics are in the database."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import update

from core import metrics
from core.db import session_scope
from core.models import SocialFile
from tests.factories import make_file

CYRILLIC_NAME = "Отчёт канала «Кулинария» ₽ март.csv"
START = date(2024, 1, 1)


def post_rows(days: int = 60, per_day: int = 3, *, seed: int = 7) -> list[dict]:
    """Posts with views, reach, engagements and a subscriber level, some titles Cyrillic and long."""
    rng = random.Random(seed)
    rows, level = [], 10_000
    for d in range(days):
        level += rng.randint(-5, 40)
        for k in range(per_day):
            n = d * per_day + k
            title = f"Видео №{n}: рецепт борща за 300 ₽" if n % 2 else f"Video {n}: the best pancakes"
            if n % 17 == 0:
                title += " — " + "очень длинное название, которое должно переноситься " * 4
            rows.append(
                {
                    "date": START + timedelta(days=d),
                    "views": rng.randint(500, 20_000),
                    "reach": rng.randint(400, 15_000),
                    "likes": rng.randint(10, 900),
                    "comments": rng.randint(0, 80),
                    "shares": rng.randint(0, 50),
                    "subscribers": level,
                    "post_id": f"p{n}",
                    "title": title,
                    "url": f"https://example.com/p/{n}",
                }
            )
    return rows


def report_file(*, owner: int, rows: list[dict], **options) -> uuid.UUID:
    """A ready file of posts as the pipeline leaves it (tests.factories.make_file, computed), named in Cyrillic."""
    defaults = {"row_kind": "posts", "name": CYRILLIC_NAME, "platform": "youtube", "period_days": 30}
    return make_file(rows, owner=owner, computed=True, **(defaults | options))


def reprocess(file_id: uuid.UUID) -> None:
    """What processing the file again does to reports: a new version with freshly computed metrics."""
    with session_scope() as session:
        session.execute(
            update(SocialFile).where(SocialFile.id == file_id).values(version=SocialFile.version + 1)
        )
        file = session.get(SocialFile, file_id)
        metrics.store(session, file=file, result=metrics.compute(session, file=file))
