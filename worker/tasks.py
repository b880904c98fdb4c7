"""Celery tasks: thin wrappers over worker/jobs.py (which the embedded runner runs directly)."""

from __future__ import annotations

from worker import dispatch, jobs
from worker.celery_app import RECOVER_STUCK, app, task_name


@app.task(name=task_name(jobs.PROCESS_FILE))
def process_file(file_id: str) -> None:
    """Read the uploaded CSV or xlsx file, load its rows and compute its metrics."""
    jobs.process_file(file_id)


# The task's name until it was renamed: a message queued before an upgrade may still carry it.
parse_csv = app.task(name="worker.tasks.parse_csv")(jobs.process_file)


@app.task(name=task_name(jobs.GENERATE_REPORT))
def generate_report(file_id: str, fmt: str, user_id: int) -> None:
    """Build (or reuse) the file's PDF or CSV report and record it in report_exports."""
    jobs.generate_report(file_id, fmt, user_id)


@app.task(name=task_name(jobs.RUN_SCHEDULES))
def run_schedules() -> None:
    """Send the scheduled reports that are due (beat, every SCHEDULES_EVERY_S)."""
    jobs.run_schedules()


@app.task(name=task_name(jobs.SWEEP_STORAGE))
def sweep_storage() -> None:
    """Delete the stored uploads and reports no row names (beat, every store_sweep.SWEEP_EVERY_S)."""
    jobs.sweep_storage()


@app.task(name=task_name(RECOVER_STUCK))
def recover_stuck() -> int:
    """Re-enqueue files whose heartbeat went stale (beat, and a worker that has just started)."""
    found = dispatch.recover_stuck()
    return len(found)
