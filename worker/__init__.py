"""Background work: the Celery app and tasks, and the dispatcher the UI calls (Celery or in-process)."""
