"""The background jobs: each job name mapped to the `core` function that does it.

The embedded runner's child process runs these directly; the Celery tasks (worker/tasks.py) wrap
the same functions. Nothing here imports Celery.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from core import pipeline


def process_file(file_id: str) -> None:
    """Read the uploaded CSV or xlsx file, load its rows, then compute its metrics in the same job.

    In the same job and under one run lock, not a chained one: between two messages the file would
    sit `processing` with no task running it, and a duplicate delivery arriving then would take it.
    """
    pipeline.process_file(uuid.UUID(file_id))


def generate_report(file_id: str, fmt: str, user_id: int) -> None:
    """Build (or reuse) the file's PDF or CSV report and record it in report_exports."""
    from core import reports  # loaded on first report only: the package pulls in matplotlib and fpdf2

    reports.generate_report(file_id=uuid.UUID(file_id), fmt=fmt, user_id=user_id)


def run_schedules() -> None:
    """Send the scheduled reports that are due now, and the retries of failed sends (core.schedule_runs)."""
    from core import schedule_runs

    schedule_runs.run_due()


def sweep_storage() -> None:
    """Delete the stored uploads and reports that no row names (core.store_sweep)."""
    from core import store_sweep

    store_sweep.sweep_orphans()


PROCESS_FILE = "process_file"
GENERATE_REPORT = "generate_report"
RUN_SCHEDULES = "run_schedules"
SWEEP_STORAGE = "sweep_storage"
JOBS: dict[str, Callable[..., None]] = {
    PROCESS_FILE: process_file,
    GENERATE_REPORT: generate_report,
    RUN_SCHEDULES: run_schedules,
    SWEEP_STORAGE: sweep_storage,
}


def run(name: str, *args) -> None:
    """Run job `name` here and now."""
    JOBS[name](*args)
