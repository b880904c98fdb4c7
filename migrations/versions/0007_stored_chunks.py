"""stored_chunks: uploads and reports kept in the database, a MiB per row (core/storage.py)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Rows already stored keep their STORAGE_DIR paths; on PostgreSQL, new uploads and reports go here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_chunks",
        sa.Column("key", sa.String(1024), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", "seq", name=op.f("pk_stored_chunks")),
    )


def downgrade() -> None:
    op.drop_table("stored_chunks")
