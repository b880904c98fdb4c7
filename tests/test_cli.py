"""The command line end to end, on SQLite and on PostgreSQL, in a subprocess as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.conftest import DATA, ROOT


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True
    )


def test_users_create_and_refuse_a_second_account_with_the_same_email(any_db):
    first = cli(
        "users", "create", "--email", "Anna@Example.com", "--password", "пароль-надёжный", "--role", "admin"
    )
    assert first.returncode == 0, first.stderr
    again = cli("users", "create", "--email", "anna@example.com", "--password", "another-password")
    assert again.returncode == 2
    assert "anna@example.com" in again.stderr.lower()


def test_ingest_prints_the_metrics_of_a_canonical_file(any_db):
    out = cli("ingest", str(DATA / "canonical_days.csv"), "--period-days", "7", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["status"] == "ready" and result["rows"] == 14
    assert result["period"] == {"start": "2024-03-08", "end": "2024-03-14"}
    now, before = result["metrics"], result["previous"]
    assert (now["views"], now["likes"], now["comments"], now["shares"]) == (1400, 140, 14, 7)
    assert now["engagements"] == 161 and before["engagements"] == 112 and before["views"] == 910
    assert (now["subscribers_start"], now["subscribers_end"], now["subs_growth"]) == (1035, 1065, 30)
    assert now["subs_growth_pct"] == pytest.approx(30 / 1035 * 100)
    assert now["er_views"] == pytest.approx(11.5) and now["virality"] == pytest.approx(0.5)
    daily = [Decimal(13 + i) / Decimal(1000 + 5 * i) * 100 for i in range(7, 14)]
    assert now["er_followers"] == pytest.approx(float(sum(daily) / 7))
    assert now["best_weekday"] == "Thursday"  # 2024-03-14, the day with the most engagements
    # Inputs absent from the file are null, never 0.
    assert now["reach"] is None and now["err"] is None and now["posts"] is None and now["avg_views"] is None


def test_a_rejected_file_exits_2_with_the_reason(any_db):
    out = cli("ingest", str(DATA / "bad_number.csv"), "--json")
    assert out.returncode == 2
    result = json.loads(out.stdout)
    assert result["status"] == "error"
    assert result["error"] == 'Line 3, column "views": "12abc" is not a number.'


def test_ingest_as_an_unknown_user_is_refused(any_db):
    out = cli("ingest", str(DATA / "canonical_days.csv"), "--user", "nobody@example.com", "--json")
    assert out.returncode == 2
    assert "No account with the email" in json.loads(out.stdout)["error"]


def test_report_writes_a_pdf_of_an_ingested_file(any_db, tmp_path):
    ingested = json.loads(cli("ingest", str(DATA / "canonical_days.csv"), "--json").stdout)
    out = cli("report", ingested["file_id"], "--format", "pdf", "--out", str(tmp_path / "r.pdf"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_report_of_an_unknown_or_unready_file_is_refused_plainly(any_db, tmp_path):
    out = cli(
        "report", "00000000-0000-0000-0000-000000000000", "--format", "csv", "--out", str(tmp_path / "r.csv")
    )
    assert out.returncode == 2 and out.stderr.startswith("error: no file with the id")
    rejected = json.loads(cli("ingest", str(DATA / "bad_number.csv"), "--json").stdout)
    out = cli("report", rejected["file_id"], "--format", "csv", "--out", str(tmp_path / "r.csv"))
    assert out.returncode == 2 and out.stderr.startswith("error: ") and "Traceback" not in out.stderr
