"""Accounts and their metrics over any range, as `python -m core accounts list|show --json` print them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentUser
from api.errors import ApiError, not_found
from api.schemas import AccountMetrics, AccountOut, ErrorResponse
from core import accounts
from core.accounts.summary import describe, overview
from core.db import session_scope

router = APIRouter(prefix="/accounts", tags=["accounts"])
ERRORS = {401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}


@router.get("", response_model=list[AccountOut], responses=ERRORS, summary="Your accounts")
def account_list(user: CurrentUser) -> list[dict]:
    with session_scope() as session:
        return overview(session, actor=user)


@router.get(
    "/{account_id}/metrics",
    response_model=AccountMetrics,
    responses={**ERRORS, 422: {"model": ErrorResponse}},
    summary="An account's merged timeline: metrics for a range and the range before it",
)
def account_metrics(
    account_id: int,
    user: CurrentUser,
    start: Annotated[date | None, Query(alias="from", description="First day; with `to`.")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last day; with `from`.")] = None,
    period_days: Annotated[int | None, Query(ge=1, description="Else: the last N days of data.")] = None,
) -> dict:
    try:
        with session_scope() as session:
            return describe(
                session, actor=user, ref=account_id, start=start, end=end, period_days=period_days
            )
    except accounts.AccountNotFound as exc:
        raise not_found("account") from exc
    except ValueError as exc:
        message = str(exc).replace("--from", "from").replace("--to", "to")
        raise ApiError(422, "invalid_range", message, {"from": str(start), "to": str(end)}) from exc
