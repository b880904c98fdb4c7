import uuid
from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from core import partitions
from core.db import MIGRATIONS_DIR, get_engine
from core.models import RawData, SocialFile
from tests.conftest import PG_ADMIN_URL


def test_migrations_create_the_five_tables(any_db):
    insp = inspect(get_engine())
    tables = set(insp.get_table_names())
    assert {"users", "social_files", "raw_data", "metrics", "report_exports"} <= tables
    assert any(ix["column_names"] == ["file_id", "date"] for ix in insp.get_indexes("raw_data"))
    uniques = [u["column_names"] for u in insp.get_unique_constraints("metrics")]
    assert ["file_id", "metric_code", "period"] in uniques


def test_the_partitioning_migration_moves_existing_rows_into_a_partition_per_file(pg_url):
    """An older database (one raw_data table) upgraded in place keeps every row, each file in its partition."""
    name = f"{pg_url.rsplit('/', 1)[1]}_mig"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(pg_url.rsplit("/", 1)[0] + "/" + name)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        files = [uuid.uuid4(), uuid.uuid4()]
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
            conn.execute(
                text(
                    "INSERT INTO users (email, password_hash, name, role, is_active, "
                    "failed_logins, created_at) VALUES ('m@x', '!', '', 'user', true, 0, now())"
                )
            )
            for n, file_id in enumerate(files, start=1):
                conn.execute(
                    text(
                        "INSERT INTO social_files (id, user_id, original_name, path, size_bytes, "
                        "platform_requested, status, progress, rows, attempts, version, created_at) "
                        "VALUES (:f, 1, 'a.csv', '/a', 0, 'auto', 'ready', 100, 0, 0, 0, now())"
                    ),
                    {"f": file_id},
                )
                conn.execute(
                    text(
                        "INSERT INTO raw_data (file_id, line, date, views) "
                        "SELECT :f, g, DATE '2024-01-01' + g, g FROM generate_series(1, :n) g"
                    ),
                    {"f": file_id, "n": 10 * n},
                )
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        with engine.connect() as conn:
            for n, file_id in enumerate(files, start=1):
                assert conn.scalar(text(f"SELECT count(*) FROM {partitions.name(file_id)}")) == 10 * n
            assert conn.scalar(text("SELECT sum(views) FROM raw_data")) == sum(range(11)) + sum(range(21))
            assert partitions.count(conn) == 3  # the two files and the default partition
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# Issue 9 / issue 11 item 7: the database enforces what the reader promises (migration 0005).
CHECKED = [
    ("raw_data", {"views": -1}, "ck_raw_data_views_not_negative"),
    ("raw_data", {"reach": -1}, "ck_raw_data_reach_not_negative"),
    ("raw_data", {"impressions": -1}, "ck_raw_data_impressions_not_negative"),
    ("raw_data", {"posts": -1}, "ck_raw_data_posts_not_negative"),
    ("raw_data", {"subscribers": -1}, "ck_raw_data_subscribers_not_negative"),
    ("raw_data", {"line": 0}, "ck_raw_data_line_positive"),
    ("raw_data", {"date": None}, "date"),
    ("social_files", {"rows": -1}, "ck_social_files_rows_not_negative"),
    ("social_files", {"progress": 101}, "ck_social_files_progress_0_100"),
    ("social_files", {"status": "ready", "platform": None}, "ck_social_files_ready_is_described"),
]


def _insert_file(conn, file_id: uuid.UUID, **values) -> None:
    user_id = conn.execute(
        text(
            "INSERT INTO users (email, password_hash, name, role, is_active, failed_logins, created_at) "
            "VALUES (:e, '!', '', 'user', true, 0, :t) RETURNING id"
        ),
        {"e": f"{file_id.hex}@example.com", "t": datetime.now(UTC)},
    ).scalar_one()
    row = {
        "id": file_id,
        "user_id": user_id,
        "original_name": "f.csv",
        "path": "f.csv",
        "size_bytes": 1,
        "platform_requested": "auto",
        "platform": "youtube",
        "status": "ready",
        "progress": 100,
        "rows": 1,
        "row_kind": "days",
        "attempts": 0,
        "version": 0,
        "created_at": datetime.now(UTC),
    } | values
    conn.execute(SocialFile.__table__.insert().values(**row))


@pytest.mark.parametrize(("table", "values", "constraint"), CHECKED, ids=[c for _, _, c in CHECKED])
def test_a_direct_insert_breaking_what_the_reader_promises_is_refused(any_db, table, values, constraint):
    engine = get_engine()
    file_id = uuid.uuid4()
    with engine.begin() as conn:  # what is allowed goes in
        _insert_file(conn, file_id)
        conn.execute(
            RawData.__table__.insert().values(
                file_id=file_id, line=2, date=date(2024, 3, 1), views=0, comments=-3, subscribers_net=-5
            )
        )
    with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
        if table == "social_files":
            _insert_file(conn, uuid.uuid4(), **values)
        else:
            row = {"file_id": file_id, "line": 3, "date": date(2024, 3, 1)} | values
            conn.execute(RawData.__table__.insert().values(**row))
    assert constraint in str(caught.value)  # both backends name the CHECK (or the NOT NULL column)
