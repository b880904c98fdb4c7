"""social_files.error_message: the file's error as a message record, shown in each viewer's language

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("social_files") as batch:
        batch.add_column(sa.Column("error_message", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("social_files") as batch:
        batch.drop_column("error_message")
