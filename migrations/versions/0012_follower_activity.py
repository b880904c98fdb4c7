"""follower activity: when an account's followers are online, by hour of day (TikTok's "Follower activity")

follower_activity holds one row per hour of each day of such a file (core/activity.py); the file
itself is a ready social_files row of row_kind 'hours' with no raw_data.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follower_activity",
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("followers", sa.BigInteger(), nullable=False),
        sa.Column("measured", sa.Boolean(), nullable=False),
        sa.CheckConstraint("hour >= 0 AND hour <= 23", name=op.f("ck_follower_activity_hour_0_23")),
        sa.CheckConstraint("followers >= 0", name=op.f("ck_follower_activity_followers_not_negative")),
        sa.CheckConstraint("line >= 1", name=op.f("ck_follower_activity_line_positive")),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["social_files.id"],
            name=op.f("fk_follower_activity_file_id_social_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_id", "line", name=op.f("pk_follower_activity")),
        sa.UniqueConstraint("file_id", "date", "hour", name=op.f("uq_follower_activity_file_id")),
    )


def downgrade() -> None:
    op.drop_table("follower_activity")
