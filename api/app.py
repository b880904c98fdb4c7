"""The FastAPI application: routers, the one error shape, start-up (migrations, the background runner)."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.routes import accounts, auth, files, reports, status_ws
from core import db
from worker import dispatch

DESCRIPTION = """The Social Analytics REST API, for automation: the same accounts, files, metrics and
reports as the dashboard, scoped to the signed-in user.

Sign in with `POST /auth/login`, then send `Authorization: Bearer <access>`; or create a personal
token on the dashboard's Profile page. Every error has the shape
`{"error": {"code", "message", "details"}}`.

`WS /ws/status?token=<access>` streams `{"file_id", "status", "progress", "error"}` events as your
files change; it closes with code 4401 when the token expires or is revoked.
"""


@asynccontextmanager
async def lifespan(_app: FastAPI):
    db.migrate()
    dispatch.start()  # without a broker: pick up what the last run left queued
    yield
    dispatch.shutdown(wait=False)


def create_app() -> FastAPI:
    app = FastAPI(title="Social Analytics API", version="1", description=DESCRIPTION, lifespan=lifespan)
    errors.install(app)
    for module in (auth, files, accounts, reports, status_ws):
        app.include_router(module.router)
    return app


logging.basicConfig(level=logging.INFO, format="%(asctime)s api %(name)s: %(message)s")
app = create_app()
