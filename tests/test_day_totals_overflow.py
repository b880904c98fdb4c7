"""Per-day totals past a BIGINT (core.day_totals.record): a file whose rows of one date add up to more
than the database holds is refused naming the date and the measure, on either backend, never loaded
with a wrong total; counts at the limit on days of their own load exactly."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core import pipeline, uploads
from core.day_totals import DayTotal
from core.db import session_scope
from core.i18n import render, use_language
from core.models import RawData, SocialFile
from tests.factories import make_user

TOP = 2**63 - 1


def _load(text: str) -> SocialFile:
    with session_scope() as session:
        file = uploads.create_upload(session, actor=make_user(), name="big.csv", data=text.encode())
    pipeline.process_file(file.id)
    with session_scope() as session:
        return session.get(SocialFile, file.id)


def _counts(file_id) -> tuple[int, int]:
    with session_scope() as session:
        rows = session.scalar(select(func.count()).select_from(RawData).where(RawData.file_id == file_id))
        totals = session.scalar(select(func.count()).select_from(DayTotal).where(DayTotal.file_id == file_id))
    return rows, totals


def test_views_of_one_day_past_a_bigint_are_refused_naming_the_date_and_column(any_db):
    text = "post_id,date,views,likes\n" + "".join(f"p{i},2024-01-0{1 + i % 3},{i},1\n" for i in range(9))
    file = _load(text + f"p9,2024-01-05,{TOP},1\np10,2024-01-05,2,1\n")
    assert file.status == "error"
    assert file.error_text == (
        'Column "Views": the rows of Jan 5, 2024 add up to 9,223,372,036,854,775,809, more than the '
        "database holds for one day (9,223,372,036,854,775,807): no real export counts so many. "
        "Check the file and upload it again."
    )
    with use_language("ru"):
        said = render(file.error_message)
    assert said.startswith("Столбец «Просмотры»:") and "05.01.2024" in said, said
    assert _counts(file.id) == (0, 0)  # nothing half-loaded


def test_engagements_of_one_row_past_a_bigint_are_refused(any_db):
    """A row's likes + comments go past a BIGINT: PostgreSQL raises, SQLite would quietly add floats."""
    text = f"date,views,likes,comments\n2024-01-01,1,{TOP},1\n2024-01-02,1,1,1\n"
    file = _load(text)
    assert file.status == "error" and file.error_text.startswith(
        'Column "Engagements": the rows of Jan 1, 2024'
    )
    assert _counts(file.id) == (0, 0)


def test_counts_at_the_limit_on_days_of_their_own_load_exactly(any_db):
    text = f"date,views,subscribers_gained\n2024-01-01,{TOP},{-TOP}\n2024-01-02,{TOP},{TOP}\n2024-01-03,0,0\n"
    file = _load(text)
    assert file.status == "ready", file.error_text
    with session_scope() as session:
        got = session.execute(
            select(DayTotal.date, DayTotal.views, DayTotal.subscribers_gained)
            .where(DayTotal.file_id == file.id)
            .order_by(DayTotal.date)
        ).all()
    assert [tuple(r) for r in got] == [
        (date(2024, 1, 1), TOP, -TOP), (date(2024, 1, 2), TOP, TOP), (date(2024, 1, 3), 0, 0),
    ]  # fmt: skip
    assert all(type(v) is int for r in got for v in r[1:])


def test_the_tables_columns_are_the_migrations(any_db):
    """DayTotal's measure columns are made from core.models.columns: the same as migration 0009's."""
    from sqlalchemy import inspect

    from core.db import get_engine
    from core.models.columns import SUMMED

    migrated = [c["name"] for c in inspect(get_engine()).get_columns("day_totals")]
    assert sorted(migrated) == sorted(c.name for c in DayTotal.__table__.c)
    assert set(SUMMED) <= set(migrated) and "subscribers" not in migrated
