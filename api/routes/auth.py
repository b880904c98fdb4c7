"""Sign-in, token refresh, the current user and self-service registration."""

from __future__ import annotations

import anyio
from fastapi import APIRouter

from api.deps import CurrentUser
from api.errors import ApiError, unauthorized
from api.schemas import (
    AccessToken,
    Credentials,
    ErrorResponse,
    RefreshRequest,
    Registration,
    TokenPair,
    UserOut,
)
from core import tokens, users
from core.db import session_scope

router = APIRouter(prefix="/auth", tags=["auth"])
REFUSED = {401: {"model": ErrorResponse}}


@router.post(
    "/login", response_model=TokenPair, responses=REFUSED, summary="Sign in: access and refresh tokens"
)
async def login(body: Credentials) -> TokenPair:
    try:
        # The same check as the sign-in page: one message for an unknown email and a wrong password.
        user = await anyio.to_thread.run_sync(lambda: users.sign_in(email=body.email, password=body.password))
    except users.LoginFailed as exc:
        raise unauthorized(str(exc)) from exc
    return TokenPair(**tokens.issue_pair(user))


@router.post("/refresh", response_model=AccessToken, responses=REFUSED, summary="A new access token")
def refresh(body: RefreshRequest) -> AccessToken:
    try:
        with session_scope() as session:
            return AccessToken(**tokens.refresh(session, token=body.refresh))
    except tokens.TokenInvalid as exc:
        raise unauthorized(str(exc)) from exc


@router.get("/me", response_model=UserOut, responses=REFUSED, summary="The signed-in user")
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.post(
    "/register",
    status_code=201,
    response_model=UserOut,
    responses={403: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
    summary="Create an account (where registration is allowed)",
)
def register(body: Registration) -> UserOut:
    try:
        with session_scope() as session:
            user = users.register_user(session, email=body.email, password=body.password, name=body.name)
            return UserOut.model_validate(user)
    except users.RegistrationClosed as exc:
        raise ApiError(403, "registration_closed", str(exc)) from exc
    except users.UserError as exc:
        raise ApiError(422, "invalid_account", str(exc)) from exc
