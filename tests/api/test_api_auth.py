"""Sign-in, refresh, me, registration, personal tokens, and every way a token stops working."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import jwt

from core import tokens, users
from core.db import session_scope
from core.models import User, utcnow
from tests.api.api_client import error_of, login, signed_in
from tests.factories import PASSWORD, make_user


def test_login_gives_an_access_and_a_refresh_token_and_me_answers(stack):
    user = make_user(stack.email())
    pair = login(stack, user)
    assert pair["token_type"] == "bearer" and pair["expires_in"] == 900
    me = stack.server.client(pair["access"]).get("/auth/me")
    assert me.status_code == 200
    assert me.json()["id"] == user.id and me.json()["email"] == user.email and me.json()["role"] == "user"
    assert me.json()["created_at"].endswith("Z")  # UTC, also on SQLite
    claims = jwt.decode(pair["access"], options={"verify_signature": False})
    assert claims["sub"] == str(user.id) and claims["typ"] == "access" and "ver" in claims


def test_wrong_password_and_unknown_email_answer_alike(stack):
    user = make_user(stack.email())
    wrong = httpx.post(stack.server.url + "/auth/login", json={"email": user.email, "password": "nope-nope"})
    unknown = httpx.post(
        stack.server.url + "/auth/login", json={"email": stack.email(), "password": "nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong) == error_of(unknown)  # the same words: nobody learns who has an account
    assert error_of(wrong)["message"].startswith("Wrong email or password.")


def test_a_locked_account_is_refused_with_the_sign_in_pages_message(stack):
    user = make_user(stack.email())
    for _ in range(5):
        httpx.post(stack.server.url + "/auth/login", json={"email": user.email, "password": "wrong-one"})
    answer = httpx.post(stack.server.url + "/auth/login", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 401
    assert "locked" in error_of(answer)["message"]


def test_refresh_gives_a_new_access_token_and_kinds_do_not_mix(stack):
    user = make_user(stack.email())
    pair = login(stack, user)
    fresh = httpx.post(stack.server.url + "/auth/refresh", json={"refresh": pair["refresh"]})
    assert fresh.status_code == 200, fresh.text
    assert stack.server.client(fresh.json()["access"]).get("/auth/me").json()["id"] == user.id
    as_refresh = httpx.post(stack.server.url + "/auth/refresh", json={"refresh": pair["access"]})
    assert as_refresh.status_code == 401 and error_of(as_refresh)["code"] == "unauthorized"
    assert stack.server.client(pair["refresh"]).get("/auth/me").status_code == 401


def test_missing_forged_and_unsigned_tokens_are_refused(stack):
    user = make_user(stack.email())
    claims = {"sub": str(user.id), "ver": 0, "typ": "access", "iat": time.time(), "exp": time.time() + 600}
    forged = jwt.encode(claims, "not-the-key-" + "z" * 40, algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token in (None, "junk", forged, unsigned, "sa_pat_made-up"):
        answer = stack.server.client(token).get("/auth/me")
        assert answer.status_code == 401, token
        assert error_of(answer)["code"] == "unauthorized"
        assert answer.headers["www-authenticate"] == "Bearer"


def test_an_access_token_stops_at_its_expiry(stack):
    user = make_user(stack.email())
    with session_scope() as session:
        ttl = 900
        token = tokens.issue(session.get(User, user.id), kind=tokens.ACCESS, now=time.time() - ttl + 1.5)
    client = stack.server.client(token)
    assert client.get("/auth/me").status_code == 200
    time.sleep(2)
    answer = client.get("/auth/me")
    assert answer.status_code == 401 and "expired" in error_of(answer)["message"]


def _revoked(stack, change) -> None:
    """After `change(session, user)`, the user's access and refresh tokens are both refused."""
    user = make_user(stack.email())
    admin = make_user(stack.email(), role="admin")
    pair = login(stack, user)
    client = stack.server.client(pair["access"])
    assert client.get("/auth/me").status_code == 200
    time.sleep(0.01)
    with session_scope() as session:
        change(session, session.get(User, user.id), session.get(User, admin.id))
    assert client.get("/auth/me").status_code == 401
    assert (
        httpx.post(stack.server.url + "/auth/refresh", json={"refresh": pair["refresh"]}).status_code == 401
    )


def test_sign_out_everywhere_revokes_tokens(stack):
    _revoked(stack, lambda s, user, _admin: users.end_sessions(s, user_id=user.id))


def test_a_password_change_revokes_tokens(stack):
    _revoked(
        stack,
        lambda s, user, _admin: users.change_password(
            s, user_id=user.id, current_password=PASSWORD, new_password="another password"
        ),
    )


def test_disabling_revokes_tokens(stack):
    _revoked(stack, lambda s, user, admin: users.set_active(s, actor=admin, user_id=user.id, active=False))


def test_a_lockout_stops_tokens_while_it_lasts(stack):
    def lock(_session, user, _admin):
        user.locked_until = utcnow() + timedelta(minutes=15)

    _revoked(stack, lock)


def test_personal_tokens_work_until_revoked_and_are_stored_hashed(stack):
    user = make_user(stack.email())
    with session_scope() as session:
        row, secret = tokens.create_personal(session, user=user, name="nightly upload")
        token_id, stored = row.id, row.token_hash
    assert secret.startswith("sa_pat_") and secret not in stored and len(stored) == 64
    client = stack.server.client(secret)
    assert client.get("/auth/me").json()["id"] == user.id
    other = make_user(stack.email())
    with session_scope() as session:
        assert tokens.revoke_personal(session, user=other, token_id=token_id) is False  # not theirs
    assert client.get("/auth/me").status_code == 200
    with session_scope() as session:
        assert tokens.revoke_personal(session, user=user, token_id=token_id) is True
    assert client.get("/auth/me").status_code == 401


def test_register_creates_a_user_who_can_sign_in(stack):
    make_user(stack.email(), role="admin")  # setup is done
    email = stack.email()
    body = {"email": email, "password": PASSWORD, "name": "Ada"}
    created = httpx.post(stack.server.url + "/auth/register", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["email"] == email and created.json()["role"] == "user"
    assert httpx.post(stack.server.url + "/auth/login", json=body).status_code == 200
    again = httpx.post(stack.server.url + "/auth/register", json=body)
    assert again.status_code == 422 and error_of(again)["code"] == "invalid_account"
    short = httpx.post(
        stack.server.url + "/auth/register", json={**body, "email": stack.email(), "password": "x"}
    )
    assert short.status_code == 422 and "too short" in error_of(short)["message"]


def test_register_is_refused_where_registration_is_off(stack):
    body = {"email": stack.email(), "password": PASSWORD}
    answer = httpx.post(stack.limited.url + "/auth/register", json=body)
    assert answer.status_code == 403 and error_of(answer)["code"] == "registration_closed"


def test_a_malformed_body_names_the_line_and_column(stack):
    answer = httpx.post(
        stack.server.url + "/auth/login",
        content=b'{"email": "a@example.com",\n  "password": oops}',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    (detail,) = error_of(answer)["details"]
    assert (detail["line"], detail["column"]) == (2, 15) and detail["value"].startswith("oops")
    missing = httpx.post(stack.server.url + "/auth/login", json={"email": "a@example.com"})
    assert missing.status_code == 422 and error_of(missing)["details"][0]["loc"] == ["body", "password"]


def test_unknown_paths_and_methods_answer_in_the_one_shape(stack):
    assert error_of(httpx.get(stack.server.url + "/nowhere"))["code"] == "not_found"
    answer = httpx.delete(stack.server.url + "/auth/me")
    assert answer.status_code == 405 and error_of(answer)["code"] == "method_not_allowed"
    signed_in(stack)  # a second user on the same server changes nothing


ENDPOINTS = {
    ("post", "/auth/register"),
    ("post", "/auth/login"),
    ("post", "/auth/refresh"),
    ("get", "/auth/me"),
    ("post", "/upload"),
    ("get", "/upload/{file_id}/status"),
    ("get", "/metrics/{file_id}"),
    ("get", "/metrics/latest"),
    ("get", "/reports/{file_id}"),
    ("get", "/reports/list"),
    ("get", "/reports/built/{report_id}"),
    ("get", "/accounts"),
    ("get", "/accounts/{account_id}/metrics"),
}


def test_openapi_has_every_endpoint_with_schemas_and_examples(stack):
    spec = httpx.get(stack.server.url + "/openapi.json").json()
    found = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert ENDPOINTS <= found, ENDPOINTS - found
    for method, path in ENDPOINTS:
        operation = spec["paths"][path][method]
        assert operation["summary"] and any(code.startswith("2") for code in operation["responses"]), path
    upload_form = spec["paths"]["/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert set(upload_form["schema"]["properties"]) >= {"file", "period_days", "platform"}
    schemas = spec["components"]["schemas"]
    assert schemas["TokenPair"]["properties"]["access"]["examples"]
    assert schemas["MetricOut"]["properties"]["metric_code"]["examples"] == ["views"]
    assert schemas["ErrorResponse"]["properties"]["error"]
    assert "/ws/status" in spec["info"]["description"]
    docs = httpx.get(stack.server.url + "/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
