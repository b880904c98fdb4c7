"""A failure the code did not foresee still answers in the one shape, without a traceback."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors


def test_an_unexpected_error_is_a_500_in_the_one_shape_and_is_logged(caplog):
    app = FastAPI()
    errors.install(app)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals: /srv/app/core.py line 12")

    answer = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert answer.status_code == 500
    assert answer.json() == {"error": {"code": "internal", "message": errors.INTERNAL, "details": None}}
    assert "secret internals" not in answer.text and "Traceback" not in answer.text
    assert "GET /boom failed" in caplog.text
