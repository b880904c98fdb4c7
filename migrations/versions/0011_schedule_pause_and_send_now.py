"""schedules can be paused, and a run can be sent by hand ("send now") beside the scheduled ones

report_schedules.paused; report_runs.manual and started_at. The one-run-per-period rule holds for the
scheduled runs only (a partial unique index), so "send now" can repeat a period that was sent already.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("report_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manual", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint("uq_report_runs_schedule_id", type_="unique")
        batch_op.create_index(
            "uq_report_runs_scheduled_period",
            ["schedule_id", "period_start"],
            unique=True,
            sqlite_where=sa.text("NOT manual"),
            postgresql_where=sa.text("NOT manual"),
        )
    op.execute("UPDATE report_runs SET started_at = sent_at")


def downgrade() -> None:
    op.execute("DELETE FROM report_runs WHERE manual")
    with op.batch_alter_table("report_runs", schema=None) as batch_op:
        batch_op.drop_index("uq_report_runs_scheduled_period")
        batch_op.create_unique_constraint("uq_report_runs_schedule_id", ["schedule_id", "period_start"])
        batch_op.drop_column("started_at")
        batch_op.drop_column("manual")
    with op.batch_alter_table("report_schedules", schema=None) as batch_op:
        batch_op.drop_column("paused")
