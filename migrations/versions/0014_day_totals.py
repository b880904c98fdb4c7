"""day_totals: per file, date and hour posted, the sums of its rows (core/day_totals.py)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

Files already loaded get their totals here, from their rows; new loads write them in the loading
transaction.
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

SUMMED = (
    "views", "reach", "impressions", "likes", "comments", "shares", "saves", "posts",
    "subscribers_gained", "subscribers_lost", "subscribers_net",
)  # fmt: skip


BOUNDS = tuple(f"{f}_{m}" for f in ("max", "min") for m in ("views", "impressions", "reach", "eng"))


def upgrade() -> None:
    op.create_table(
        "day_totals",
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("eng", sa.BigInteger(), nullable=True),
        sa.Column("eng_rows", sa.BigInteger(), nullable=False),
        sa.Column("lo", sa.BigInteger(), nullable=True),
        sa.Column("hi", sa.BigInteger(), nullable=True),
        *(sa.Column(name, sa.BigInteger(), nullable=True) for name in SUMMED + BOUNDS),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["social_files.id"],
            name=op.f("fk_day_totals_file_id_social_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_id", "date", "hour", name=op.f("pk_day_totals")),
    )
    from core import day_totals

    conn = op.get_bind()
    for (file_id,) in conn.execute(sa.text("SELECT id FROM social_files")).all():
        day_totals.record(conn, file_id=uuid.UUID(str(file_id)))


def downgrade() -> None:
    op.drop_table("day_totals")
