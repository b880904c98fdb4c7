"""The Celery application: its configuration and the worker's process signals (no tasks here).

Redis broker, late acks, JSON only; the database status is the truth. The tasks live in
worker/tasks.py, which Celery loads by name (`include`) when a worker starts.

Run a worker with `celery -A worker.celery_app worker -l info` (or `python -m worker`); it applies
the migrations before it takes any task and re-enqueues files a crash left behind once it is ready.
"""

from __future__ import annotations

import logging

from celery import Celery, signals

from core import db
from core.config import Settings, get_settings
from core.store_sweep import SWEEP_EVERY_S

log = logging.getLogger(__name__)

QUEUE = "social"
# Above the longest task (5M rows take about a minute): a message is re-delivered by kombu only
# after this long, so a slow task is never handed to a second worker while it still runs.
VISIBILITY_TIMEOUT_S = 2 * 3600
# A hard limit below the visibility timeout, so a hung task ends before its message is restored.
TASK_TIME_LIMIT_S = 3600
# kombu's sweep for messages past the visibility timeout runs every interval x throttle seconds;
# 30 s x 1 instead of 10 s x 10.
RESTORE_INTERVAL_S = 30
RECOVER_STUCK = "recover_stuck"


def task_name(job: str) -> str:
    """The Celery name of the task that runs `job` (a name in worker/jobs.py, or recover_stuck)."""
    return f"worker.tasks.{job}"


def celery_config(settings: Settings) -> dict:
    """The Celery settings for `settings.celery_broker_url`."""
    url = settings.celery_broker_url
    config = {
        "broker_url": url,
        "broker_connection_retry_on_startup": True,
        "task_default_queue": QUEUE,
        "task_serializer": "json",
        "accept_content": ["json"],
        "result_serializer": "json",
        "task_ignore_result": True,  # the file's status in the database is the result
        "result_backend": None,
        "task_acks_late": True,  # a message is acknowledged only when its task is done...
        "task_reject_on_worker_lost": True,  # ...and goes back to the queue if its process dies
        "worker_prefetch_multiplier": 1,  # a worker holds one message at a time, no hidden backlog
        "worker_max_tasks_per_child": 50,  # bounds what a long-lived process can leak
        "task_time_limit": TASK_TIME_LIMIT_S,
        "enable_utc": True,
        "timezone": "UTC",
        "beat_schedule": {
            "recover-stuck-files": {
                "task": task_name(RECOVER_STUCK),
                "schedule": settings.worker_recover_every_s,
            },
            "send-scheduled-reports": {
                "task": task_name("run_schedules"),  # worker.jobs.RUN_SCHEDULES
                "schedule": settings.schedules_every_s,
            },
            "sweep-orphan-objects": {
                "task": task_name("sweep_storage"),  # worker.jobs.SWEEP_STORAGE
                "schedule": SWEEP_EVERY_S,
            },
        },
    }
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        config["broker_transport_options"] = {
            "visibility_timeout": VISIBILITY_TIMEOUT_S,
            "unacked_restore_interval": RESTORE_INTERVAL_S,
            "unacked_restore_throttle": 1,
        }
    return config


app = Celery("social_analytics", include=["worker.tasks"])
# A promise: the settings are read when Celery first needs its configuration, not at import.
app.add_defaults(lambda: celery_config(get_settings()))


@signals.worker_init.connect
def _migrate_before_work(**_) -> None:
    """Refuse to start without a broker; bring the schema up to date before any task runs."""
    # SystemExit, because Celery logs and ignores any Exception a signal handler raises.
    if not get_settings().celery_broker_url:
        raise SystemExit(
            "CELERY_BROKER_URL is not set. Without it the app runs tasks in its own process and needs "
            "no worker; to run one, set CELERY_BROKER_URL=redis://HOST:6379/0."
        )
    try:
        db.migrate()
    except Exception as exc:
        log.critical("could not migrate the database", exc_info=True)
        raise SystemExit(f"The database could not be migrated: {exc}") from exc
    db.get_engine().dispose()  # the pool's children must not share these connections


@signals.worker_process_init.connect
def _fresh_connections(**_) -> None:
    """A forked pool process opens its own database connections."""
    db.get_engine().dispose(close=False)


@signals.worker_ready.connect
def _recover_on_start(sender=None, **_) -> None:
    """Re-enqueue files a crash or restart left behind: now, and again once their heartbeat is stale.

    A worker restarted within seconds of a crash finds the file it was processing still fresh; the
    delayed pass picks it up without waiting for beat. Both passes are the recover_stuck task, sent
    by name, so this process never opens a database connection its pool would inherit.
    """
    try:
        app.send_task(task_name(RECOVER_STUCK))
        app.send_task(task_name(RECOVER_STUCK), countdown=get_settings().worker_stuck_after_s + 1)
    except Exception:  # recovery is also scheduled; never keep the worker from starting
        log.exception("recovering stuck files failed")
