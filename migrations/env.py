"""Alembic environment: the app's own engine, batch mode so SQLite shares the migrations."""

from alembic import context

from core import activity, day_totals, merge_store, models, schedule_models  # noqa: F401  (registers the tables)
from core.db import Base, get_engine

target_metadata = Base.metadata


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with get_engine().begin() as conn:
        run(conn)
