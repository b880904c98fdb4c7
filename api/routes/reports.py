"""PDF and CSV reports: built in the background, streamed when ready, and the history."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal
from urllib.parse import quote

import anyio
from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse

from api.deps import CurrentUser
from api.errors import ApiError, not_found
from api.schemas import ErrorResponse, ReportOut, ReportQueued
from core import files, reports, storage
from core.db import session_scope
from worker import dispatch

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get(
    "/list", response_model=list[ReportOut], responses={401: {"model": ErrorResponse}}, summary="History"
)
def report_list(user: CurrentUser) -> list[ReportOut]:
    with session_scope() as session:
        entries = reports.list_reports(session, actor=user)
    return [
        ReportOut(
            **asdict(e),
            url=f"/reports/{e.file_id}?format={e.format}" if e.file_id else f"/reports/built/{e.id}",
        )
        for e in entries
    ]


@router.get(
    "/built/{report_id}",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "text/csv": {}}, "description": "The report."},
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse, "description": "No such report of yours (another user's too)."},
    },
    summary="A built report from the history (a file's, an account's or a brand's), by its id",
)
def built_report(report_id: str, user: CurrentUser) -> Response:
    try:
        with session_scope() as session:  # a few hundred KB, read whole in the transaction that found it
            name, data = reports.open_report(session, actor=user, report_id=report_id)
    except reports.ReportNotFound as exc:
        raise not_found("report") from exc
    media = reports.FORMATS[name.rsplit(".", 1)[-1]]
    return Response(data, media_type=media, headers={"Content-Disposition": content_disposition(name)})


@router.get(
    "/{file_id}",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/pdf": {}, "text/csv": {}}, "description": "The report."},
        202: {"model": ReportQueued, "description": "Being built: ask again in a moment."},
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        409: {"model": ErrorResponse, "description": "The file is not ready (or failed)."},
    },
    summary="A file's report: 200 when it is ready, 202 while it is built",
)
async def report(file_id: str, user: CurrentUser, format: Literal["pdf", "csv"] = Query("pdf")):  # noqa: A002
    def look():
        with session_scope() as session:
            return reports.ready_report(session, actor=user, file_id=file_id, fmt=format)

    try:
        found = await anyio.to_thread.run_sync(look)
    except files.FileNotFound as exc:
        raise not_found() from exc
    except reports.ReportUnavailable as exc:
        raise ApiError(409, "not_ready", str(exc)) from exc
    if found is None:
        await anyio.to_thread.run_sync(dispatch.enqueue_report, file_id, format, user.id)
        body = ReportQueued(status="queued", file_id=file_id, format=format)
        return JSONResponse(body.model_dump(mode="json"), 202, headers={"Retry-After": "2"})
    name, path = found
    headers = {"Content-Disposition": content_disposition(name)}
    chunks = storage.get_store().chunks(path)  # wherever it is stored: a chunk at a time
    return StreamingResponse(chunks, media_type=reports.FORMATS[format], headers=headers)


def content_disposition(name: str) -> str:
    """RFC 6266: an ASCII `filename` for old clients, and the real name as RFC 8187 `filename*`."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
