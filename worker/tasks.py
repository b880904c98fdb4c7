"""Celery tasks: thin wrappers over `core`; without a broker, worker/runner.py calls the very same ones."""

from __future__ import annotations

import uuid

from core import pipeline
from worker.celery_app import app


@app.task(name="worker.tasks.parse_csv")
def parse_csv(file_id: str) -> None:
    """Load the file's rows, then compute its metrics in the same task.

    In the same task, not a chained one: between two messages the file would sit `processing`
    with no task running it, and a duplicate delivery arriving then would process it again.
    """
    if pipeline.parse_file(uuid.UUID(file_id)):
        calc_metrics(file_id)


@app.task(name="worker.tasks.calc_metrics")
def calc_metrics(file_id: str) -> None:
    """Compute and store the metric catalogue; the file becomes ready."""
    pipeline.calc_metrics(uuid.UUID(file_id))


@app.task(name="worker.tasks.generate_report")
def generate_report(file_id: str, fmt: str, user_id: int) -> None:
    """Build (or reuse) the file's PDF or CSV report and record it in report_exports."""
    from core import reports  # imported here: the reports package loads matplotlib and fpdf2

    reports.generate_report(file_id=uuid.UUID(file_id), fmt=fmt, user_id=user_id)


@app.task(name="worker.tasks.recover_stuck")
def recover_stuck() -> int:
    """Re-enqueue files whose heartbeat went stale (scheduled by beat)."""
    from worker import dispatch

    return len(dispatch.recover_stuck())


LOCAL_TASKS = {"parse_csv": parse_csv, "generate_report": generate_report}


def run(name: str, *args) -> None:
    """Run task `name` here and now (the embedded runner's child process)."""
    LOCAL_TASKS[name](*args)
