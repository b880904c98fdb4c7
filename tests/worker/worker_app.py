"""The product's Celery app as test workers run it: a private queue, and a file that kills its process.

`-A tests.worker.worker_app` wraps `worker.celery_app` without any test hook inside `core`: a file
whose name contains KILL_MARK SIGKILLs the process parsing it, after the pipeline has claimed it.
"""

import os
import signal
from pathlib import Path

from core import pipeline
from tests.worker.harness import KILL_MARK, PREFIX_ENV, QUEUE_ENV, overrides
from worker.celery_app import app

app.conf.update(overrides(os.environ[QUEUE_ENV], os.environ[PREFIX_ENV]))
_open_table = pipeline.open_table


def _open_or_die(path, **options):
    if KILL_MARK in Path(path).name:
        os.kill(os.getpid(), signal.SIGKILL)
    return _open_table(path, **options)


pipeline.open_table = _open_or_die
