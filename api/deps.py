"""Who is calling: the bearer token (access JWT or personal token) resolved by core."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import unauthorized
from core import tokens
from core.db import session_scope
from core.models import User

bearer = HTTPBearer(auto_error=False, description="An access token from /auth/login, or a personal token.")


def credential(token: str | None) -> tokens.Credential:
    """The caller of `token`; 401 (the one shape) for anything that does not stand."""
    try:
        with session_scope() as session:
            return tokens.authenticate(session, token=token)
    except tokens.TokenInvalid as exc:
        raise unauthorized(str(exc)) from exc


def current_user(header: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    return credential(header.credentials if header else None).user


CurrentUser = Annotated[User, Depends(current_user)]
