"""`ingest --account/--brand`, duplicates (exit 3), `accounts list|show`, `report --account/--brand`, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

from account_factories import day_csv, post_csv

from tests.conftest import ROOT
from tests.factories import make_user

JAN = date(2024, 1, 1)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True
    )


def ingest(path, *extra) -> dict:
    out = cli("ingest", str(path), "--user", "ann@example.com", "--json", *extra)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)


def test_two_exports_of_one_account_from_ingest_to_report(any_db, tmp_path):
    make_user("ann@example.com")
    old = ingest(day_csv(tmp_path / "oct.csv", JAN, [10] * 10), "--account", "Acme YT", "--brand", "Acme")
    new = ingest(day_csv(tmp_path / "nov.csv", date(2024, 1, 6), [20] * 10), "--account", "Acme YT")
    assert old["account"] == new["account"] and new["account"]["name"] == "Acme YT"

    again = cli("ingest", str(tmp_path / "nov.csv"), "--user", "ann@example.com", "--json")
    assert again.returncode == 3, again.stdout
    assert json.loads(again.stdout) | {"error": ""} == {
        "status": "duplicate", "duplicate_of": new["file_id"], "error": "",
    }  # fmt: skip

    listed = json.loads(cli("accounts", "list", "--user", "ann@example.com", "--json").stdout)
    assert [(a["name"], a["brand"]["name"], a["files"]) for a in listed] == [("Acme YT", "Acme", 2)]

    shown = cli("accounts", "show", "Acme YT", "--user", "ann@example.com", "--json")
    assert shown.returncode == 0, shown.stderr
    body = json.loads(shown.stdout)
    assert body["account"] == {"id": new["account"]["id"], "name": "Acme YT", "platform": "generic"}
    assert [f["name"] for f in body["files"]] == ["oct.csv", "nov.csv"]
    assert body["rows"] == 15 and body["period"] == {"start": "2024-01-01", "end": "2024-01-15"}
    assert body["metrics"]["views"] == 250 and body["previous"]["views"] is None
    ranged = cli("accounts", "show", str(new["account"]["id"]), "--user", "ann@example.com", "--json",
                 "--from", "2024-01-06", "--to", "2024-01-10")  # fmt: skip
    assert json.loads(ranged.stdout)["metrics"]["views"] == 100
    assert json.loads(ranged.stdout)["previous"]["views"] == 50

    pdf = cli(
        "report",
        "--account",
        "Acme YT",
        "--user",
        "ann@example.com",
        "--format",
        "pdf",
        "--out",
        str(tmp_path),
    )
    assert pdf.returncode == 0, pdf.stderr
    written = tmp_path / "Acme YT_2024-01-01_2024-01-15.pdf"
    assert pdf.stdout.strip() == str(written) and written.read_bytes().startswith(b"%PDF")
    csv = cli("report", "--brand", "Acme", "--user", "ann@example.com", "--format", "csv",
              "--period-days", "5", "--out", str(tmp_path / "b.csv"))  # fmt: skip
    assert csv.returncode == 0, csv.stderr
    text = (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    assert "Acme" in text and "2024-01-11" in text


def test_a_ready_report_is_reused_for_the_same_data_and_range(any_db, tmp_path):
    from sqlalchemy import select

    from core.db import session_scope
    from core.models import ReportExport

    make_user("ann@example.com")
    ingest(post_csv(tmp_path / "p.csv", [("p1", JAN, 10, 1)]), "--account", "A")
    for _ in range(2):
        out = cli(
            "report", "--account", "A", "--user", "ann@example.com", "--format", "pdf", "--out", str(tmp_path)
        )
        assert out.returncode == 0, out.stderr
    with session_scope() as session:
        first = session.scalars(select(ReportExport.id)).all()
    assert len(first) == 1
    ingest(post_csv(tmp_path / "q.csv", [("p2", JAN, 10, 1)]), "--account", "A")
    out = cli(
        "report", "--account", "A", "--user", "ann@example.com", "--format", "pdf", "--out", str(tmp_path)
    )
    assert out.returncode == 0, out.stderr
    with session_scope() as session:
        after = session.scalars(select(ReportExport.id)).all()
    # new data, new report; it replaces the one built for the older data
    assert len(after) == 1 and after != first


def test_another_users_account_is_refused_like_a_missing_one(any_db, tmp_path):
    make_user("ann@example.com")
    make_user("bob@example.com")
    mine = ingest(day_csv(tmp_path / "a.csv", JAN, [1]), "--account", "A")
    theirs = cli("accounts", "show", str(mine["account"]["id"]), "--user", "bob@example.com", "--json")
    missing = cli("accounts", "show", "999999", "--user", "bob@example.com", "--json")
    assert theirs.returncode == missing.returncode == 2
    assert theirs.stderr.replace(str(mine["account"]["id"]), "N") == missing.stderr.replace("999999", "N")
    report = cli(
        "report", "--account", "A", "--user", "bob@example.com", "--format", "pdf", "--out", str(tmp_path)
    )
    assert report.returncode == 2 and "no account A" in report.stderr
