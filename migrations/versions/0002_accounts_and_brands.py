"""accounts and brands; files belong to an account and carry their sha256

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Existing files are moved into accounts without losing anything: one account per user and
platform (or per profile name the detection found), named after the platform; files that
never got a platform (queued, failed) stay without an account until they are processed.
"""

import hashlib
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PLATFORM_NAMES = {
    "youtube": "YouTube",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "vk": "VK",
    "telegram": "Telegram",
    "facebook": "Facebook",
    "x": "X",
    "linkedin": "LinkedIn",
    "generic": "Generic table",
}


def _schema() -> None:
    op.create_table(
        "brands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("logo_path", sa.String(length=1024), nullable=True),
        sa.Column("colour", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_brands_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brands")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_brands_user_id")),
    )
    op.create_index(op.f("ix_brands_user_id"), "brands", ["user_id"])
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=10), nullable=False),
        sa.Column("handle", sa.String(length=255), nullable=True),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_accounts_brand_id_brands"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_accounts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("user_id", "platform", "name", name=op.f("uq_accounts_user_id")),
    )
    op.create_index(op.f("ix_accounts_user_id"), "accounts", ["user_id"])
    op.create_index(op.f("ix_accounts_brand_id"), "accounts", ["brand_id"])
    # Plain ALTER TABLE ADD COLUMN, never a batch copy: on SQLite the copy drops the old table, and
    # with foreign keys on that drop cascades to every row of raw_data, metrics and report_exports.
    if op.get_bind().dialect.name == "sqlite":  # SQLite takes a REFERENCES clause only inline
        op.execute(
            "ALTER TABLE social_files ADD COLUMN account_id INTEGER "
            "CONSTRAINT fk_social_files_account_id_accounts REFERENCES accounts (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("social_files", sa.Column("account_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_social_files_account_id_accounts"),
            "social_files",
            "accounts",
            ["account_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.add_column("social_files", sa.Column("account_request", sa.String(length=200), nullable=True))
    op.add_column("social_files", sa.Column("sha256", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_social_files_account_id"), "social_files", ["account_id"])
    op.create_index("ix_social_files_user_id_sha256", "social_files", ["user_id", "sha256"])
    with op.batch_alter_table("report_exports") as batch:
        batch.alter_column("file_id", existing_type=sa.Uuid(), nullable=True)
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("brand_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("range_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("range_end", sa.Date(), nullable=True))
        batch.add_column(sa.Column("data_key", sa.String(length=64), nullable=True))
        batch.create_foreign_key(
            op.f("fk_report_exports_account_id_accounts"),
            "accounts",
            ["account_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_foreign_key(
            op.f("fk_report_exports_brand_id_brands"), "brands", ["brand_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index(op.f("ix_report_exports_account_id"), ["account_id"])
        batch.create_index(op.f("ix_report_exports_brand_id"), ["brand_id"])


def _sha256(path: str | None) -> str | None:
    """The stored upload's digest; None when its bytes are gone (nothing to compare a new upload to)."""
    try:
        digest = hashlib.sha256()
        with open(Path(path), "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except (OSError, TypeError):
        return None


def _profile(detection) -> str | None:
    name = (detection or {}).get("account_name") if isinstance(detection, dict) else None
    return str(name).strip()[:200] or None if name else None


def _data() -> None:
    """One account per (user, platform, detected profile name); every file with a platform joins one."""
    conn = op.get_bind()
    files = sa.table(
        "social_files",
        sa.column("id", sa.Uuid()),
        sa.column("user_id", sa.Integer()),
        sa.column("platform", sa.String()),
        sa.column("path", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("detection", sa.JSON()),
        sa.column("account_id", sa.Integer()),
        sa.column("sha256", sa.String()),
    )
    accounts = sa.table(
        "accounts",
        sa.column("id", sa.Integer()),
        sa.column("user_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("platform", sa.String()),
        sa.column("handle", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    made: dict[tuple, int] = {}
    rows = conn.execute(sa.select(files).order_by(files.c.created_at)).all()
    for row in rows:
        values = {"sha256": _sha256(row.path)}
        if row.platform:
            handle = _profile(row.detection)
            key = (row.user_id, row.platform, handle)
            if key not in made:
                name = handle or PLATFORM_NAMES.get(row.platform, row.platform)
                made[key] = conn.execute(
                    sa.insert(accounts)
                    .values(
                        user_id=row.user_id,
                        name=name,
                        platform=row.platform,
                        handle=handle,
                        created_at=row.created_at,
                    )
                    .returning(accounts.c.id)
                ).scalar_one()
            values["account_id"] = made[key]
        conn.execute(sa.update(files).where(files.c.id == row.id).values(**values))


def upgrade() -> None:
    _schema()
    _data()


def downgrade() -> None:
    with op.batch_alter_table("report_exports") as batch:
        batch.drop_index(op.f("ix_report_exports_brand_id"))
        batch.drop_index(op.f("ix_report_exports_account_id"))
        batch.drop_constraint(op.f("fk_report_exports_brand_id_brands"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_report_exports_account_id_accounts"), type_="foreignkey")
        for column in ("data_key", "range_end", "range_start", "brand_id", "account_id"):
            batch.drop_column(column)
    op.execute("DELETE FROM report_exports WHERE file_id IS NULL")
    with op.batch_alter_table("report_exports") as batch:
        batch.alter_column("file_id", existing_type=sa.Uuid(), nullable=False)
    if op.get_bind().dialect.name == "sqlite":
        # Dropping social_files' columns copies the table on SQLite, and dropping the old copy
        # cascades to every row of raw_data: the columns and the tables they refer to stay (0001
        # never reads them).
        return
    op.drop_index("ix_social_files_user_id_sha256", "social_files")
    op.drop_index(op.f("ix_social_files_account_id"), "social_files")
    op.drop_constraint(op.f("fk_social_files_account_id_accounts"), "social_files", type_="foreignkey")
    for column in ("sha256", "account_request", "account_id"):
        op.drop_column("social_files", column)
    op.drop_table("accounts")
    op.drop_table("brands")
