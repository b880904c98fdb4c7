"""Starting a worker: migrations first, a clear refusal without a broker; core stays free of both."""

from __future__ import annotations

import os
import subprocess

from sqlalchemy import create_engine, inspect

from tests.worker.harness import CELERY, ROOT, WorkerProcess


def test_celery_is_configured_for_at_least_once_delivery_of_json():
    from core.config import load_settings
    from worker.celery_app import TASK_TIME_LIMIT_S, celery_config

    env = {"CELERY_BROKER_URL": "redis://broker:6379/0", "AUTH_COOKIE_KEY": "k" * 40, "STORAGE_DIR": "/tmp"}
    config = celery_config(load_settings(env))

    assert config["broker_url"] == "redis://broker:6379/0"
    assert (config["task_acks_late"], config["task_reject_on_worker_lost"]) == (True, True)
    assert config["worker_prefetch_multiplier"] == 1
    assert (config["task_serializer"], config["accept_content"]) == ("json", ["json"])
    assert config["broker_transport_options"]["visibility_timeout"] > TASK_TIME_LIMIT_S >= 30 * 60
    assert config["task_ignore_result"] is True and config["result_backend"] is None


def test_a_worker_migrates_an_empty_database_before_taking_tasks(broker, tmp_path):
    database = tmp_path / "fresh.db"
    worker = WorkerProcess(tmp_path, env={"DATABASE_URL": f"sqlite:///{database}"})
    try:
        worker.start()
    finally:
        worker.stop()

    tables = set(inspect(create_engine(f"sqlite:///{database}")).get_table_names())
    assert {"alembic_version", "users", "social_files", "raw_data", "metrics", "report_exports"} <= tables


def test_a_worker_without_a_broker_refuses_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env["STORAGE_DIR"] = str(tmp_path)

    done = subprocess.run(
        [str(CELERY), "-A", "worker.celery_app", "worker", "-c", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode != 0
    assert "CELERY_BROKER_URL is not set" in done.stdout + done.stderr
    assert not (tmp_path / "social_analytics.db").exists()  # it stopped before touching the database
