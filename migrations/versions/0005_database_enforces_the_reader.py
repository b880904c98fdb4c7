"""the database enforces what the reader promises: counts that are never negative, sane file figures

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

CHECK constraints back up the reader (issue 9, issue 11 item 7): raw_data's views, reach,
impressions, posts and subscribers (a level) are never below 0 and a row's line is at least 1;
a file's rows and progress are within range and a ready file has its platform and row kind.
Declared on the table itself, they hold for per-file partitions of raw_data too.

It also adds social_files.read_options: the user's delimiter, decimal mark, encoding and date
order for the file (issue 9, "no dead ends"), null when detection decides.

Files stored before negative counts were refused are not silently changed: their rows and metrics
are removed and the file is marked as an error saying why, so its owner uploads it again.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEVER_NEGATIVE = ("views", "reach", "impressions", "posts", "subscribers")
RAW_CHECKS = {
    **{f"{c}_not_negative": f"{c} >= 0" for c in NEVER_NEGATIVE},
    "line_positive": "line >= 1",
}
FILE_CHECKS = {
    "rows_not_negative": "rows >= 0",
    "progress_0_100": "progress >= 0 AND progress <= 100",
    "ready_is_described": "status <> 'ready' OR (platform IS NOT NULL AND row_kind IS NOT NULL)",
}
REREAD = (
    "This file was stored before negative {columns} were refused and has been removed from the "
    "statistics. Upload it again: rows with negative counts will be named by line and column."
)


def _quarantine() -> None:
    """Files with a negative count in a column that can never be negative: rows out, status error."""
    conn = op.get_bind()
    any_negative = " OR ".join(f"{c} < 0" for c in NEVER_NEGATIVE)
    bad = [
        row[0] for row in conn.execute(sa.text(f"SELECT DISTINCT file_id FROM raw_data WHERE {any_negative}"))
    ]
    for file_id in bad:
        columns = [
            c
            for c in NEVER_NEGATIVE
            if conn.execute(
                sa.text(f"SELECT 1 FROM raw_data WHERE file_id = :f AND {c} < 0 LIMIT 1"), {"f": file_id}
            ).first()
        ]
        params = {"f": file_id}
        conn.execute(sa.text("DELETE FROM metrics WHERE file_id = :f"), params)
        conn.execute(sa.text("DELETE FROM raw_data WHERE file_id = :f"), params)
        conn.execute(
            sa.text("UPDATE social_files SET status = 'error', rows = 0, error_text = :t WHERE id = :f"),
            {**params, "t": REREAD.format(columns=", ".join(columns))},
        )
    conn.execute(sa.text("UPDATE social_files SET rows = 0 WHERE rows < 0"))
    conn.execute(sa.text("UPDATE social_files SET progress = 0 WHERE progress < 0"))
    conn.execute(sa.text("UPDATE social_files SET progress = 100 WHERE progress > 100"))
    conn.execute(
        sa.text(
            "UPDATE social_files SET status = 'error', error_text = 'The file was marked ready without "
            "being read completely. Upload it again.' WHERE status = 'ready' "
            "AND (platform IS NULL OR row_kind IS NULL)"
        )
    )


def _children_of_files() -> list[str]:
    """The tables whose rows reference social_files (their ON DELETE CASCADE fires when SQLite's
    batch mode drops and recreates social_files with foreign keys on)."""
    inspector = sa.inspect(op.get_bind())
    return [
        t
        for t in inspector.get_table_names()
        if any(fk["referred_table"] == "social_files" for fk in inspector.get_foreign_keys(t))
    ]


def _recreate_files_keeping_children(alter) -> None:
    """Run a batch change of social_files; on SQLite, keep the rows of every table that references it.

    SQLite can add a CHECK only by copying the table into a new one and dropping the old; with
    foreign keys on (as the app connects), that drop deletes every referencing row in cascade, and
    the pragma cannot be switched off inside the migration's transaction. So the children's rows
    are copied aside first and put back after.
    """
    conn = op.get_bind()
    kept = _children_of_files() if conn.dialect.name == "sqlite" else []
    for table in kept:
        conn.execute(sa.text(f"CREATE TEMP TABLE keep_{table} AS SELECT * FROM {table}"))
    with op.batch_alter_table("social_files") as batch_op:
        alter(batch_op)
    for table in kept:
        conn.execute(sa.text(f"DELETE FROM {table}"))
        conn.execute(sa.text(f"INSERT INTO {table} SELECT * FROM keep_{table}"))
        conn.execute(sa.text(f"DROP TABLE keep_{table}"))


def _file_checks(batch_op) -> None:
    for name, condition in FILE_CHECKS.items():
        batch_op.create_check_constraint(name, condition)


def upgrade() -> None:
    _quarantine()
    op.add_column(
        "social_files",
        sa.Column("read_options", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
    )
    with op.batch_alter_table("raw_data") as batch_op:
        for name, condition in RAW_CHECKS.items():
            batch_op.create_check_constraint(name, condition)
    _recreate_files_keeping_children(_file_checks)


def _drop_file_checks(batch_op) -> None:
    for name in FILE_CHECKS:
        batch_op.drop_constraint(op.f(f"ck_social_files_{name}"), type_="check")
    batch_op.drop_column("read_options")


def downgrade() -> None:
    _recreate_files_keeping_children(_drop_file_checks)
    with op.batch_alter_table("raw_data") as batch_op:
        for name in RAW_CHECKS:
            batch_op.drop_constraint(op.f(f"ck_raw_data_{name}"), type_="check")
