"""Steps a script would take against the API: sign up, sign in, upload, poll."""

from __future__ import annotations

import time

import httpx

from core.models import User
from tests.api.server import Stack
from tests.factories import PASSWORD, make_user


def login(stack: Stack, user: User) -> dict:
    answer = httpx.post(stack.server.url + "/auth/login", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()


def signed_in(stack: Stack, *, role: str = "user") -> tuple[User, httpx.Client]:
    user = make_user(stack.email(), role=role)
    return user, stack.server.client(login(stack, user)["access"])


def upload(client: httpx.Client, name: str, data: bytes, **fields) -> httpx.Response:
    return client.post("/upload", data={k: str(v) for k, v in fields.items()}, files={"file": (name, data)})


def wait_status(client: httpx.Client, file_id: str, statuses=("ready", "error"), timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        answer = client.get(f"/upload/{file_id}/status")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        if body["status"] in statuses:
            return body
        assert time.monotonic() < deadline, f"{file_id} still {body['status']} after {timeout} s"
        time.sleep(0.1)


def error_of(answer: httpx.Response) -> dict:
    """The one error shape, checked: {"error": {"code", "message", "details"}}."""
    body = answer.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    assert "Traceback" not in answer.text
    return body["error"]
