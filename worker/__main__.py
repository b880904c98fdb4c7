"""`python -m worker [celery worker options]`: the same as `celery -A worker.celery_app worker -l info`."""

import sys

from worker.celery_app import app

if __name__ == "__main__":
    app.worker_main(["worker", "--loglevel", "info", *sys.argv[1:]])
