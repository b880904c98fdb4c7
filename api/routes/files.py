"""Uploads, their status and their metrics."""

from __future__ import annotations

import asyncio
import uuid
from functools import partial

import anyio
from fastapi import APIRouter, Request

from api import upload as streaming
from api.deps import CurrentUser
from api.errors import ApiError, not_found
from api.schemas import Accepted, ErrorResponse, FileMetrics, MetricOut, UploadStatus
from core import accounts, files, metrics, quotas, uploads
from core.accounts.summary import number
from core.auth import aware
from core.config import get_settings
from core.db import session_scope
from core.models import FileStatus, SocialFile, User
from core.parsing import PLATFORMS
from worker import dispatch

router = APIRouter(tags=["files"])
ERRORS = {401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}
UPLOAD_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "period_days": {"type": "integer", "minimum": 1, "example": 28},
                        "platform": {"type": "string", "enum": ["auto", *PLATFORMS], "example": "auto"},
                        "account": {
                            "type": "string",
                            "description": "An account's id, or a name (created when new); default: assigned.",
                            "example": "Acme",
                        },
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}


def _options(fields: dict[str, str]) -> dict:
    """The upload's options from its form fields (sent before the file) or the query string."""
    platform = (fields.get("platform") or "auto").strip().lower()
    if platform != "auto" and platform not in PLATFORMS:
        allowed = ["auto", *PLATFORMS]
        raise ApiError(422, "invalid_platform", f"Unknown platform {platform!r}.", {"allowed": allowed})
    raw = (fields.get("period_days") or "").strip()
    try:
        period_days = int(raw) if raw else None
    except ValueError:
        period_days = 0
    if period_days is not None and period_days < 1:
        raise ApiError(
            422,
            "invalid_period_days",
            "period_days must be a whole number of days, 1 or more.",
            {"value": raw},
        )
    account = (fields.get("account") or "").strip()
    by_id = account.isdigit()  # an account's id, else its name (created on the detected platform if new)
    return {
        "platform": platform,
        "period_days": period_days,
        "account_id": int(account) if by_id else None,
        "account_name": account if account and not by_id else None,
    }


def _store(user: User, options: dict, name: str, pipe: streaming.Pipe) -> uuid.UUID:
    """core's upload, in a thread: reads the pipe until the end of the file part."""
    try:
        with session_scope() as session:
            return uploads.create_upload(session, actor=user, name=name, data=pipe, **options).id
    finally:
        pipe.abandoned.set()


@router.post(
    "/upload",
    status_code=202,
    response_model=Accepted,
    openapi_extra=UPLOAD_FORM,
    responses={
        **ERRORS,
        409: {"model": ErrorResponse, "description": "The same bytes were uploaded before: details.file_id."},
        413: {"model": ErrorResponse},
        429: {"model": ErrorResponse, "description": "A per-user limit is reached (uploads a day, storage)."},
        422: {"model": ErrorResponse},
    },
    summary="Upload an export (processed in the background)",
)
async def upload(request: Request, user: CurrentUser) -> Accepted:
    loop = asyncio.get_running_loop()
    query = dict(request.query_params)

    def start(fields: dict[str, str], name: str, pipe: streaming.Pipe) -> asyncio.Future:
        options = _options({**query, **fields})
        return loop.run_in_executor(None, partial(_store, user, options, name, pipe))

    stored, pipe = await streaming.receive(request.stream(), request.headers.get("content-type"), start)
    try:
        file_id = await stored
    except accounts.AccountNotFound as exc:
        raise not_found("account") from exc
    except quotas.QuotaExceeded as exc:
        raise ApiError(429, "quota_exceeded", str(exc)) from exc
    except uploads.DuplicateUpload as exc:
        found = exc.duplicate
        details = {
            "file_id": str(found.file_id),
            "name": found.name,
            "uploaded_at": aware(found.uploaded_at).isoformat(),
            "account_name": found.account_name,
        }
        raise ApiError(409, "duplicate", str(exc), details) from exc
    except uploads.UploadRejected as exc:
        too_large = pipe.fed > get_settings().max_upload_mb << 20
        code = "too_large" if too_large else "rejected"
        raise ApiError(413 if too_large else 422, code, str(exc)) from exc
    await anyio.to_thread.run_sync(dispatch.enqueue_file, file_id)
    return Accepted(file_id=file_id, status=FileStatus.QUEUED)


def _file(user: User, file_id: str) -> SocialFile:
    with session_scope() as session:
        try:
            return files.get_file(session, actor=user, file_id=file_id)
        except files.FileNotFound as exc:
            raise not_found() from exc


@router.get(
    "/upload/{file_id}/status", response_model=UploadStatus, responses=ERRORS, summary="A file's status"
)
def status(file_id: str, user: CurrentUser) -> UploadStatus:
    file = _file(user, file_id)
    return UploadStatus(
        file_id=file.id,
        name=file.original_name,
        status=file.status,
        progress=file.progress,
        rows=file.rows,
        error_text=file.error_text,
        error_details=file.error_details,
    )


def _metrics(user: User, file: SocialFile) -> FileMetrics:
    if file.status != FileStatus.READY:
        raise ApiError(
            409,
            "not_ready",
            f'"{file.original_name}" is {file.status}: metrics need a ready file.',
            {"status": file.status, "progress": file.progress, "error_text": file.error_text},
        )
    with session_scope() as session:
        result = metrics.load(session, file=file)
    out = []
    if result is not None:
        for period, start, end, values in (
            ("current", result.period_start, result.period_end, result.current),
            ("previous", result.previous_start, result.previous_end, result.previous),
        ):
            out += [
                MetricOut(metric_code=c, value=number(v), period=period, period_start=start, period_end=end)
                for c, v in values.items()
            ]
    return FileMetrics(file_id=file.id, metrics=out)


@router.get("/metrics/latest", response_model=FileMetrics, responses=ERRORS, summary="Your newest ready file")
def latest(user: CurrentUser) -> FileMetrics:
    with session_scope() as session:
        file = files.latest_ready(session, actor=user)
    if file is None:
        raise ApiError(404, "not_found", "You have no ready file yet.")
    return _metrics(user, file)


@router.get(
    "/metrics/{file_id}",
    response_model=FileMetrics,
    responses={**ERRORS, 409: {"model": ErrorResponse}},
    summary="A file's metrics, this period and the one before",
)
def file_metrics(file_id: str, user: CurrentUser) -> FileMetrics:
    return _metrics(user, _file(user, file_id))
