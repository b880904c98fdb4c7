"""The API as tests serve it: the product's app, sending Celery messages to the test run's private queue."""

import os

from api.app import app
from tests.worker.harness import PREFIX_ENV, QUEUE_ENV, overrides
from worker.celery_app import app as celery

if os.environ.get(QUEUE_ENV):
    celery.conf.update(overrides(os.environ[QUEUE_ENV], os.environ[PREFIX_ENV]))

__all__ = ["app"]
