from sqlalchemy import inspect

from core.db import get_engine


def test_migrations_create_the_five_tables(any_db):
    insp = inspect(get_engine())
    tables = set(insp.get_table_names())
    assert {"users", "social_files", "raw_data", "metrics", "report_exports"} <= tables
    assert any(ix["column_names"] == ["file_id", "date"] for ix in insp.get_indexes("raw_data"))
    uniques = [u["column_names"] for u in insp.get_unique_constraints("metrics")]
    assert ["file_id", "metric_code", "period"] in uniques
