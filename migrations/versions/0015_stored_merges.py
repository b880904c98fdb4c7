"""merge_states, superseded_rows, shared_totals: what merging an account's files decided (core/merge_store.py)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

Accounts already holding several ready files get their merge stored here, from their rows; from now
on it is stored again whenever their files change (core/merge_build.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

SUMMED = (
    "views", "reach", "impressions", "likes", "comments", "shares", "saves", "posts",
    "subscribers_gained", "subscribers_lost", "subscribers_net",
)  # fmt: skip
BOUNDS = tuple(f"{f}_{m}" for f in ("max", "min") for m in ("views", "impressions", "reach", "eng"))


def _account_fk(table: str):
    return sa.ForeignKeyConstraint(
        ["account_id"], ["accounts.id"], name=op.f(f"fk_{table}_account_id_accounts"), ondelete="CASCADE"
    )


def _file_fk(table: str):
    return sa.ForeignKeyConstraint(
        ["file_id"], ["social_files.id"], name=op.f(f"fk_{table}_file_id_social_files"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "merge_states",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("files_key", sa.String(length=64), nullable=False),
        _account_fk("merge_states"),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_merge_states")),
    )
    op.create_table(
        "superseded_rows",
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("first_line", sa.Integer(), nullable=False),
        sa.Column("last_line", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        _account_fk("superseded_rows"),
        _file_fk("superseded_rows"),
        sa.PrimaryKeyConstraint("file_id", "date", "first_line", name=op.f("pk_superseded_rows")),
    )
    op.create_index(op.f("ix_superseded_rows_account_id"), "superseded_rows", ["account_id"])
    op.create_table(
        "shared_totals",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("eng", sa.BigInteger(), nullable=True),
        sa.Column("eng_rows", sa.BigInteger(), nullable=False),
        sa.Column("lo", sa.BigInteger(), nullable=True),
        sa.Column("hi", sa.BigInteger(), nullable=True),
        *(sa.Column(name, sa.BigInteger(), nullable=True) for name in SUMMED + BOUNDS),
        _account_fk("shared_totals"),
        _file_fk("shared_totals"),
        sa.PrimaryKeyConstraint("account_id", "file_id", "date", "hour", name=op.f("pk_shared_totals")),
    )
    from sqlalchemy.orm import Session

    from core import merge_build

    conn = op.get_bind()
    accounts = conn.execute(
        sa.text(
            "SELECT account_id FROM social_files WHERE status = 'ready' AND account_id IS NOT NULL"
            " GROUP BY account_id HAVING count(*) > 1"
        )
    ).scalars()
    session = Session(bind=conn)
    merge_build.refresh(session, list(accounts))
    session.flush()


def downgrade() -> None:
    op.drop_table("shared_totals")
    op.drop_index(op.f("ix_superseded_rows_account_id"), table_name="superseded_rows")
    op.drop_table("superseded_rows")
    op.drop_table("merge_states")
