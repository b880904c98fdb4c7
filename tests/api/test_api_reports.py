"""Reports through the API: queued and 202 until built, then streamed with a safe file name."""

from __future__ import annotations

import time
import uuid
from urllib.parse import quote

from api.routes.reports import content_disposition
from tests.api.api_client import error_of, signed_in, upload, wait_status
from tests.worker.uploads import canonical_csv


def _until_built(client, file_id: str, fmt: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    first = client.get(f"/reports/{file_id}", params={"format": fmt})
    answer = first
    while answer.status_code == 202:
        assert answer.json() == {"status": "queued", "file_id": file_id, "format": fmt}
        assert time.monotonic() < deadline, f"the {fmt} report of {file_id} was not built in {timeout} s"
        time.sleep(0.2)
        answer = client.get(f"/reports/{file_id}", params={"format": fmt})
    return first, answer


def test_a_report_is_queued_then_downloaded_and_listed(stack):
    _, client = signed_in(stack)
    file_id = upload(client, "Отчёт «Acme» 2024.csv", canonical_csv(40), period_days=7).json()["file_id"]
    wait_status(client, file_id)
    first, pdf = _until_built(client, file_id, "pdf")
    assert first.status_code == 202 and first.headers["retry-after"] == "2"
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    name = "Отчёт «Acme» 2024_2024-02-03_2024-02-09.pdf"
    assert pdf.headers["content-disposition"] == (
        f"attachment; filename=\"_____ _Acme_ 2024_2024-02-03_2024-02-09.pdf\"; filename*=UTF-8''{quote(name)}"
    )
    again = client.get(f"/reports/{file_id}", params={"format": "pdf"})
    assert again.status_code == 200 and again.content == pdf.content  # reused, not rebuilt

    _, csv = _until_built(client, file_id, "csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    listed = client.get("/reports/list").json()
    assert sorted(r["format"] for r in listed) == ["csv", "pdf"]
    assert {r["url"] for r in listed} == {f"/reports/{file_id}?format={f}" for f in ("pdf", "csv")}
    assert all(r["file_id"] == file_id and r["current"] for r in listed)


def test_a_report_of_a_file_that_is_not_ready_is_refused(stack):
    _, client = signed_in(stack)
    file_id = upload(client, "bad.csv", b"date,views\n2024-01-01,oops\n").json()["file_id"]
    wait_status(client, file_id)
    answer = client.get(f"/reports/{file_id}", params={"format": "pdf"})
    assert answer.status_code == 409 and error_of(answer)["code"] == "not_ready"
    wrong = client.get(f"/reports/{file_id}", params={"format": "docx"})
    assert wrong.status_code == 422 and error_of(wrong)["details"][0]["loc"] == ["query", "format"]


def test_content_disposition_cannot_be_broken_out_of():
    header = content_disposition('a"b\\c%;\r\nX: y.pdf')
    assert "\r" not in header and "\n" not in header
    assert header.startswith("attachment; filename=\"a_b_c_;__X: y.pdf\"; filename*=UTF-8''")


def test_an_accounts_report_is_listed_with_a_url_that_downloads_it_for_its_owner_only(stack):
    from core.db import session_scope
    from core.models import SocialFile
    from core.reports import scoped

    user, client = signed_in(stack)
    file_id = upload(client, "acme.csv", canonical_csv(40), account="Acme YT").json()["file_id"]
    assert wait_status(client, file_id)["status"] == "ready"
    with session_scope() as session:  # built as the Reports page or a schedule builds it
        account_id = session.get(SocialFile, uuid.UUID(file_id)).account_id
        scope = scoped.resolve_scope(session, actor=user, account=account_id)
        span = scoped.scope_span(session, scope, start=None, end=None, period_days=None)
        report = scoped.get_or_create_scope_report(session, actor=user, scope=scope, span=span, fmt="csv")
        name = scoped.scope_download_name(scope, span, "csv")
    (listed,) = client.get("/reports/list").json()
    assert (listed["kind"], listed["id"], listed["file_id"]) == ("account", str(report.id), None)
    assert listed["url"] == f"/reports/built/{report.id}" and listed["download_name"] == name

    got = client.get(listed["url"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"] == content_disposition(name)
    assert len(got.content) == report.size_bytes and b"Acme YT" in got.content

    _, stranger = signed_in(stack)
    theirs, missing = stranger.get(listed["url"]), stranger.get(f"/reports/built/{uuid.uuid4()}")
    assert theirs.status_code == missing.status_code == 404
    assert (
        error_of(theirs)
        == error_of(missing)
        == {"code": "not_found", "message": "No such report.", "details": None}
    )
    assert theirs.content == missing.content
    assert error_of(stranger.get("/reports/built/not-an-id"))["code"] == "not_found"
    assert stranger.get("/reports/list").json() == []
