"""Issue 11 item 0: a first upload's metrics on PostgreSQL stay linear whatever the planner knows.

A self-join of raw_data (the per-date first and last subscriber levels, joined with an OR) became a
nested loop over every pair of rows when the new rows had no statistics: 20k rows took 75 s. Here a
20k-row file is loaded, its statistics are wiped, and every query the metrics run over raw_data is
EXPLAINed just before it runs: none may join raw_data to itself in a nested loop. The plan is what is
checked, not the time (a quadratic plan fails at once, before it runs).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, text

from core import pipeline
from core.db import get_engine, session_scope
from core.models import Metric
from tests.factories import make_user
from tests.worker.uploads import upload

ROWS, PER_DAY = 20_000, 18  # as bench/metrics_fresh.py: ~1,100 dates


def _csv() -> bytes:
    """Posts with a subscriber level that changes within each date (its first and last row differ)."""
    start, lines = date(2022, 1, 1), ["date,post_id,views,likes,subscribers"]
    for i in range(ROWS):
        lines.append(f"{start + timedelta(days=i // PER_DAY)},p{i},{100 + i},{i % 50},{10_000 + i}")
    return ("\n".join(lines) + "\n").encode()


def _scans(node: dict) -> set[str]:
    """The tables (partitions included) a plan node's subtree reads."""
    found = {node["Relation Name"]} if "Relation Name" in node else set()
    for child in node.get("Plans", []):
        found |= _scans(child)
    return found


def _self_joins(node: dict) -> list[str]:
    """Nested loops of the plan whose two sides both read raw_data (any of its partitions)."""
    bad = []
    if node["Node Type"] == "Nested Loop":
        sides = [{t for t in _scans(child) if t.startswith("raw_data")} for child in node["Plans"]]
        if all(sides):
            bad.append(" x ".join(sorted(side.pop() for side in sides)))
    for child in node.get("Plans", []):
        bad += _self_joins(child)
    return bad


@pytest.fixture
def explained():
    """Every statement over raw_data, EXPLAINed on its own connection just before it runs."""
    plans: list[tuple[str, list[str]]] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if executemany or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            return
        if "raw_data" not in statement:
            return
        with conn.connection.dbapi_connection.cursor() as cur:
            cur.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
            plan = cur.fetchone()[0][0]["Plan"]
        plans.append((statement, _self_joins(plan)))
        if plans[-1][1]:  # stop it before it runs (the test fails on the list of plans)
            raise RuntimeError(f"a quadratic plan: {plans[-1][1]}")

    event.listen(get_engine(), "before_cursor_execute", explain)
    yield plans
    event.remove(get_engine(), "before_cursor_execute", explain)


def test_no_metrics_query_of_a_fresh_file_joins_its_rows_to_themselves(pg_db, request):
    file_id = upload(make_user(), "fresh.csv", _csv())
    assert pipeline.parse_file(file_id) is True
    with get_engine().begin() as conn:  # as if the load had never been analysed: no column statistics
        partitions = "SELECT inhrelid FROM pg_inherits WHERE inhparent = 'raw_data'::regclass"
        conn.execute(text(f"DELETE FROM pg_statistic WHERE starelid IN ({partitions})"))
        conn.execute(text("DELETE FROM pg_statistic WHERE starelid = 'raw_data'::regclass"))
        assert conn.scalar(text("SELECT count(*) FROM pg_stats WHERE tablename LIKE 'raw_data%'")) == 0

    plans = request.getfixturevalue("explained")
    pipeline.calc_metrics(file_id)

    quadratic = [(bad, statement) for statement, bad in plans if bad]
    assert not quadratic, f"a nested loop joins raw_data to itself: {quadratic}"
    assert any("first_value" in statement for statement, _ in plans)  # the per-date levels were read
    with session_scope() as session:
        query = select(Metric.metric_code, Metric.value).where(
            Metric.file_id == file_id, Metric.period == "current"
        )
        values = dict(session.execute(query).all())
    assert (values["subscribers_start"], values["subscribers_end"]) == (10_000, 10_000 + ROWS - 1)
