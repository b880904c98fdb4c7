"""One error shape for every failure: {"error": {"code", "message", "details"}}, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)
INTERNAL = (
    "Something went wrong on our side. It has been logged; try again, and contact support if it persists."
)
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}


class ApiError(Exception):
    """An answer other than success, with its status, a stable code and a message for people."""

    def __init__(
        self, status: int, code: str, message: str, details: Any = None, headers: dict | None = None
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.details, self.headers = (
            status,
            code,
            message,
            details,
            headers,
        )


def not_found(what: str = "file") -> ApiError:
    """Another user's id answers exactly like an id that does not exist."""
    return ApiError(404, "not_found", f"No such {what}.")


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def body(code: str, message: str, details: Any = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details}}


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _validation_details(request_body: Any, errors: list[dict]) -> list[dict]:
    """Each problem with where it is (`loc`), and for a JSON syntax error its line and column."""
    details = []
    for error in errors:
        item = {
            "loc": list(error.get("loc", ())),
            "message": error.get("msg", ""),
            "value": error.get("input"),
        }
        if error.get("type") == "json_invalid" and isinstance(request_body, (bytes, str)):
            text = (
                request_body.decode("utf-8", "replace") if isinstance(request_body, bytes) else request_body
            )
            position = int(error.get("ctx", {}).get("position", 0) or error["loc"][-1])
            item["line"], item["column"] = _line_column(text, position)
            item["value"] = text[position : position + 20]
        details.append(item)
    return details


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def install(app: FastAPI) -> None:
    """Route every failure through the one shape."""

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError):
        return JSONResponse(body(exc.code, exc.message, exc.details), exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        details = _jsonable(_validation_details(exc.body, list(exc.errors())))
        return JSONResponse(body("invalid_request", "The request is not valid: see details.", details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = "No such endpoint." if exc.status_code == 404 else str(exc.detail)
        return JSONResponse(body(code, message), exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("%s %s failed", request.method, request.url.path)
        return JSONResponse(body("internal", INTERNAL), 500)
