"""stored_chunks belong to their file or report: a foreign key each, so no deletion leaves chunks behind

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Each chunk names its owner, exactly one of social_files.id or report_exports.id (ON DELETE CASCADE,
checked at commit: an upload's bytes are written before its row). Deleting a file, a report, or
what they belong to (an account, a brand, a user) removes the chunks with them, however it is done.
Existing chunks are matched to the row whose path is their key; chunks nothing owns are removed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OWNERS = {"file_id": "social_files", "report_id": "report_exports"}


def upgrade() -> None:
    with op.batch_alter_table("stored_chunks") as batch_op:
        for column in OWNERS:
            batch_op.add_column(sa.Column(column, sa.Uuid(), nullable=True))
    for column, table in OWNERS.items():
        op.execute(
            f"UPDATE stored_chunks SET {column} = "
            f"(SELECT {table}.id FROM {table} WHERE {table}.path = stored_chunks.key)"
        )
    op.execute("DELETE FROM stored_chunks WHERE file_id IS NULL AND report_id IS NULL")
    with op.batch_alter_table("stored_chunks") as batch_op:
        for column, table in OWNERS.items():
            batch_op.create_foreign_key(
                op.f(f"fk_stored_chunks_{column}_{table}"),
                table,
                [column],
                ["id"],
                ondelete="CASCADE",
                deferrable=True,
                initially="DEFERRED",
            )
            batch_op.create_index(op.f(f"ix_stored_chunks_{column}"), [column])
        batch_op.create_check_constraint("one_owner", "(file_id IS NULL) <> (report_id IS NULL)")


def downgrade() -> None:
    with op.batch_alter_table("stored_chunks") as batch_op:
        batch_op.drop_constraint(op.f("ck_stored_chunks_one_owner"), type_="check")
        for column, table in OWNERS.items():
            batch_op.drop_index(op.f(f"ix_stored_chunks_{column}"))
            batch_op.drop_constraint(op.f(f"fk_stored_chunks_{column}_{table}"), type_="foreignkey")
            batch_op.drop_column(column)
