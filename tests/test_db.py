import uuid

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from core import partitions
from core.db import MIGRATIONS_DIR, get_engine
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
