"""Accounts through the API: the list and an account's metrics over a range, scoped like files."""

from __future__ import annotations

from tests.api.api_client import error_of, signed_in, upload, wait_status
from tests.worker.uploads import canonical_csv, expected_sums


def test_accounts_and_their_metrics_over_a_range(stack):
    _, client = signed_in(stack)
    file_id = upload(client, "acme.csv", canonical_csv(20), account="Acme").json()["file_id"]
    assert wait_status(client, file_id)["status"] == "ready"
    (account,) = client.get("/accounts").json()
    assert (account["name"], account["files"], account["brand"]) == ("Acme", 1, None)

    whole = client.get(f"/accounts/{account['id']}/metrics")
    assert whole.status_code == 200, whole.text
    body = whole.json()
    assert body["account"]["name"] == "Acme" and [f["id"] for f in body["files"]] == [file_id]
    assert body["rows"] == 20 and body["metrics"]["views"] == expected_sums(20)["views"]
    assert body["period"] == {"start": "2024-01-01", "end": "2024-01-20"}

    ranged = client.get(
        f"/accounts/{account['id']}/metrics", params={"from": "2024-01-11", "to": "2024-01-20"}
    )
    assert ranged.json()["metrics"]["views"] == sum(100 + i for i in range(10, 20))
    assert ranged.json()["previous"]["views"] == sum(100 + i for i in range(10))
    last = client.get(f"/accounts/{account['id']}/metrics", params={"period_days": 10})
    assert last.json()["metrics"] == ranged.json()["metrics"]


def test_bad_ranges_and_other_users_accounts(stack):
    _, client = signed_in(stack)
    file_id = upload(client, "acme.csv", canonical_csv(5), account="Acme").json()["file_id"]
    wait_status(client, file_id)
    (account,) = client.get("/accounts").json()
    url = f"/accounts/{account['id']}/metrics"
    backwards = client.get(url, params={"from": "2024-01-05", "to": "2024-01-01"})
    assert backwards.status_code == 422 and error_of(backwards)["code"] == "invalid_range"
    half = client.get(url, params={"from": "2024-01-05"})
    assert half.status_code == 422 and "--" not in error_of(half)["message"]
    not_a_date = client.get(url, params={"from": "5 Jan", "to": "2024-01-05"})
    assert not_a_date.status_code == 422 and error_of(not_a_date)["details"][0]["loc"] == ["query", "from"]

    _, other = signed_in(stack)
    assert other.get("/accounts").json() == []
    theirs, missing = other.get(url), other.get("/accounts/999999/metrics")
    assert theirs.status_code == missing.status_code == 404
    assert error_of(theirs) == error_of(missing)
