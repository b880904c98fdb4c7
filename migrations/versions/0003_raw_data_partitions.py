"""raw_data partitioned by file on PostgreSQL: one LIST partition per file, plus a default one

Existing rows move into a partition per file. SQLite keeps its single table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD = "raw_data_unpartitioned"


def _partition(file_id: uuid.UUID) -> str:
    return f"raw_data_{file_id.hex}"  # core.partitions.name, repeated so the migration stays frozen


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE raw_data RENAME TO {OLD}")
    op.execute(f"ALTER INDEX ix_raw_data_file_id_date RENAME TO ix_{OLD}_file_id_date")
    op.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT fk_raw_data_file_id_social_files TO fk_{OLD}_file_id")
    # Same columns, NOT NULLs and CHECKs (a partitioned parent's constraints bind every partition).
    op.execute(
        f"CREATE TABLE raw_data (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST (file_id)"
    )
    op.execute(
        "ALTER TABLE raw_data ADD CONSTRAINT fk_raw_data_file_id_social_files "
        "FOREIGN KEY (file_id) REFERENCES social_files (id) ON DELETE CASCADE"
    )
    op.execute("CREATE INDEX ix_raw_data_file_id_date ON raw_data (file_id, date)")
    bind = op.get_bind()
    for (file_id,) in bind.execute(sa.text(f"SELECT DISTINCT file_id FROM {OLD}")):
        table = _partition(file_id)
        op.execute(f"CREATE TABLE {table} PARTITION OF raw_data FOR VALUES IN ('{file_id}')")
        bind.execute(sa.text(f"INSERT INTO {table} SELECT * FROM {OLD} WHERE file_id = :f"), {"f": file_id})
        op.execute(f"ANALYZE {table}")
    op.execute("CREATE TABLE raw_data_default PARTITION OF raw_data DEFAULT")
    op.execute(f"DROP TABLE {OLD}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE TABLE {OLD} (LIKE raw_data INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    op.execute(f"INSERT INTO {OLD} SELECT * FROM raw_data")
    op.execute("DROP TABLE raw_data CASCADE")  # with every partition
    op.execute(f"ALTER TABLE {OLD} RENAME TO raw_data")
    op.execute(
        "ALTER TABLE raw_data ADD CONSTRAINT fk_raw_data_file_id_social_files "
        "FOREIGN KEY (file_id) REFERENCES social_files (id) ON DELETE CASCADE"
    )
    op.execute("CREATE INDEX ix_raw_data_file_id_date ON raw_data (file_id, date)")
