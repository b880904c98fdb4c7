"""Uploads through the API: accepted at once, processed by the worker, scoped to their owner."""

from __future__ import annotations

import uuid

import httpx

from tests.api.api_client import error_of, signed_in, upload, wait_status
from tests.worker.uploads import canonical_csv, expected_sums

SMALL = canonical_csv(40)


def test_an_upload_is_accepted_at_once_then_ready_with_its_metrics(stack):
    _, client = signed_in(stack)
    answer = upload(client, "posts.csv", SMALL, period_days=7)
    assert answer.status_code == 202, answer.text
    file_id = answer.json()["file_id"]
    assert answer.json()["status"] == "queued"
    status = wait_status(client, file_id)
    assert (status["status"], status["progress"], status["rows"], status["error_text"]) == (
        "ready",
        100,
        40,
        None,
    )

    metrics = client.get(f"/metrics/{file_id}")
    assert metrics.status_code == 200
    rows = metrics.json()["metrics"]
    current = {m["metric_code"]: m["value"] for m in rows if m["period"] == "current"}
    assert {m["period"] for m in rows} == {"current", "previous"}
    views = sum(100 + i for i in range(33, 40))  # the last 7 days of a 40-day file, one post a day
    assert current["views"] == views and current["posts"] == 7
    (one,) = [m for m in rows if m["metric_code"] == "views" and m["period"] == "current"]
    assert (one["period_start"], one["period_end"]) == ("2024-02-03", "2024-02-09")
    assert client.get("/metrics/latest").json() == metrics.json()


def test_the_whole_file_without_a_period(stack):
    _, client = signed_in(stack)
    file_id = upload(client, "all.csv", canonical_csv(30)).json()["file_id"]
    wait_status(client, file_id)
    current = {
        m["metric_code"]: m["value"]
        for m in client.get(f"/metrics/{file_id}").json()["metrics"]
        if m["period"] == "current"
    }
    assert current["views"] == expected_sums(30)["views"]


def test_a_rejected_file_says_where_each_problem_is(stack):
    _, client = signed_in(stack)
    data = b"date,views,likes\n2024-01-01,10,1\n2024-01-02,12abc,2\n"
    file_id = upload(client, "bad.csv", data).json()["file_id"]
    status = wait_status(client, file_id)
    assert status["status"] == "error" and "12abc" in status["error_text"]
    (problem,) = status["error_details"]
    assert (problem["line"], problem["column"], problem["value"]) == (3, "views", "12abc")
    refused = client.get(f"/metrics/{file_id}")
    assert refused.status_code == 409 and error_of(refused)["details"]["status"] == "error"


def test_requests_that_are_not_an_upload_are_refused_clearly(stack):
    _, client = signed_in(stack)
    not_multipart = client.post("/upload", content=b"date,views\n", headers={"content-type": "text/csv"})
    assert not_multipart.status_code == 415 and error_of(not_multipart)["code"] == "unsupported_media_type"
    no_file = client.post("/upload", data={"platform": "auto"}, files={"other": ("x.csv", b"a")})
    assert no_file.status_code == 422 and error_of(no_file)["code"] == "no_file"
    platform = upload(client, "x.csv", SMALL, platform="myspace")
    assert platform.status_code == 422 and "auto" in error_of(platform)["details"]["allowed"]
    period = upload(client, "x.csv", SMALL, period_days="a week")
    assert period.status_code == 422 and error_of(period)["details"] == {"value": "a week"}
    empty = upload(client, "empty.csv", b"")
    assert empty.status_code == 422 and "empty" in error_of(empty)["message"]
    anonymous = httpx.post(stack.server.url + "/upload", files={"file": ("x.csv", SMALL)})
    assert anonymous.status_code == 401


def test_the_size_limit_answers_413_and_keeps_nothing(stack):
    _, client = signed_in(stack)
    limited = stack.limited.client(client.headers["authorization"].split()[1])
    big = b"date,views\n" + b"2024-01-01,1\n" * 100_000  # 1.3 MB over a 1 MB limit
    answer = upload(limited, "big.csv", big)
    assert answer.status_code == 413, answer.text
    assert "1 MB upload limit" in error_of(answer)["message"]
    assert client.get("/metrics/latest").status_code == 404  # nothing was recorded


def test_another_users_file_is_exactly_like_a_missing_one(stack):
    _, owner = signed_in(stack)
    _, other = signed_in(stack)
    file_id = upload(owner, "mine.csv", SMALL).json()["file_id"]
    wait_status(owner, file_id)
    missing = str(uuid.uuid4())
    for path in ("/upload/{}/status", "/metrics/{}", "/reports/{}?format=pdf"):
        theirs, nothing = other.get(path.format(file_id)), other.get(path.format(missing))
        assert theirs.status_code == nothing.status_code == 404, path
        assert error_of(theirs) == error_of(nothing), path
    assert other.get("/upload/not-a-uuid/status").status_code == 404
    assert other.get("/metrics/latest").status_code == 404
    assert other.get("/reports/list").json() == []


def test_identical_bytes_answer_409_with_the_earlier_file(stack):
    _, client = signed_in(stack)
    first = upload(client, "november.csv", SMALL).json()["file_id"]
    again = upload(client, "november (1).csv", SMALL)
    assert again.status_code == 409
    error = error_of(again)
    assert error["code"] == "duplicate" and error["details"]["file_id"] == first
    assert error["details"]["name"] == "november.csv" and "already uploaded" in error["message"]
    _, other = signed_in(stack)
    assert upload(other, "november.csv", SMALL).status_code == 202  # their own copy is no duplicate


def test_an_upload_goes_to_the_named_account(stack):
    from core import accounts
    from core.db import session_scope

    user, client = signed_in(stack)
    file_id = upload(client, "x.csv", canonical_csv(12), account="Acme").json()["file_id"]
    wait_status(client, file_id)
    with session_scope() as session:
        (account,) = accounts.list_accounts(session, actor=user)
        assert account.name == "Acme"
    _, other = signed_in(stack)
    theirs = upload(other, "y.csv", canonical_csv(13), account=str(account.id))
    assert theirs.status_code == 404 and error_of(theirs)["message"] == "No such account."


def test_the_per_user_limits_apply_to_the_api(stack):
    from core.db import session_scope
    from core.models import User

    user, client = signed_in(stack)
    with session_scope() as session:
        session.get(User, user.id).max_uploads_per_day = 1
    assert upload(client, "one.csv", canonical_csv(3)).status_code == 202
    refused = upload(client, "two.csv", canonical_csv(4))
    assert refused.status_code == 429, refused.text
    assert error_of(refused)["code"] == "quota_exceeded" and error_of(refused)["message"]
