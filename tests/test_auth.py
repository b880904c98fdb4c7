"""Password rules, hashing, login cookies and roles: the pure logic of core.auth."""

from __future__ import annotations

import base64
import json
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import jwt
import pytest

from core import auth

KEY = "k" * 48
NOW = 1_800_000_000.0


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.mark.parametrize(
    "password",
    [
        "40917362",  # no composition rules: digits only is fine (12345678 is refused as too common)
        "пароль12",  # 8 Cyrillic/Latin characters, 14 bytes
        "парольпароль",
        "  spaced out  ",
        "x" * 128,
        "ж" * 128,  # 256 bytes of UTF-8
        "密码密码密码密码",
    ],
)
def test_any_script_from_8_to_128_characters_is_accepted(password):
    assert auth.password_problem(password) is None


@pytest.mark.parametrize("password", ["12345678", "password", "Password1", "QWERTYUIOP", "iloveyou"])
def test_the_most_common_passwords_are_refused_whatever_their_case(password):
    assert "most common" in auth.password_problem(password)


@pytest.mark.parametrize(
    ("password", "words"),
    [("", "too short"), ("1234567", "too short"), ("пароль1", "too short"), ("x" * 129, "too long")],
)
def test_shorter_than_8_or_longer_than_128_characters_is_refused(password, words):
    problem = auth.password_problem(password)
    assert problem is not None and words in problem


def test_129_cyrillic_characters_are_refused_and_128_are_not():
    assert auth.password_problem("я" * 129) is not None
    assert auth.password_problem("я" * 128) is None


def test_long_cyrillic_passwords_hash_and_verify():
    password = "очень длинный пароль на русском языке " * 3  # 114 characters, over 200 bytes
    assert len(password.encode()) > 72
    hashed = auth.hash_password(password)
    assert hashed.startswith("$2b$") and password not in hashed
    assert auth.verify_password(password, hashed)
    assert not auth.verify_password(password[:-1], hashed)


def test_nothing_after_byte_72_is_ignored():
    head = "a" * 72
    hashed = auth.hash_password(head + "first ending")
    assert auth.verify_password(head + "first ending", hashed)
    assert not auth.verify_password(head + "other ending", hashed)
    assert not auth.verify_password(head, hashed)


@pytest.mark.parametrize("size", [71, 72, 73, 128])
def test_passwords_around_the_72_byte_boundary_work(size):
    password = "b" * size
    assert auth.verify_password(password, auth.hash_password(password))


def test_multibyte_character_straddling_byte_72_is_not_cut():
    # 71 ASCII bytes then "ж" or "з" (2 bytes each, same first byte): bcrypt alone reads 72 bytes.
    one, other = "a" * 71 + "ж", "a" * 71 + "з"
    assert one.encode()[:72] == other.encode()[:72]
    assert not auth.verify_password(other, auth.hash_password(one))


def test_passwords_are_not_stripped():
    hashed = auth.hash_password(" secret password ")
    assert auth.verify_password(" secret password ", hashed)
    assert not auth.verify_password("secret password", hashed)


def test_composed_and_decomposed_letters_are_the_same_password():
    composed = "пароль-йога"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert auth.verify_password(decomposed, auth.hash_password(composed))


@pytest.mark.parametrize("stored", ["!", "", "plain text", "$2b$12$short"])
def test_a_malformed_stored_hash_never_matches(stored):
    assert auth.verify_password("anything at all", stored) is False


def test_production_cost_is_12(monkeypatch):
    monkeypatch.undo()
    assert auth.BCRYPT_ROUNDS == 12
    assert auth.hash_password("a good password").startswith("$2b$12$")


@pytest.mark.parametrize("email", ["a@example.com", "first.last+tag@mail.example.co.uk", "и@пример.рф"])
def test_plausible_emails_pass(email):
    assert auth.email_problem(auth.normalize_email(email)) is None


@pytest.mark.parametrize(
    "email", ["", "no-at-sign", "a@b", "a@@b.com", "a b@c.com", "a@.com", "x" * 250 + "@b.com"]
)
def test_implausible_emails_are_refused(email):
    assert auth.email_problem(auth.normalize_email(email))


def test_emails_are_compared_case_and_space_insensitively():
    assert auth.normalize_email("  Anna@Example.COM ") == "anna@example.com"


# --- login cookies -----------------------------------------------------------------------


def _token(**claims) -> str:
    base = {"sub": "7", "email": "a@example.com", "iat": NOW, "exp": int(NOW + 3600)}
    return jwt.encode({**base, **claims}, KEY, algorithm="HS256")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_genuine_cookie_names_its_user():
    token = auth.issue_token(user_id=7, email="a@example.com", key=KEY, now=NOW)
    claims = auth.read_token(token, key=KEY, now=NOW + 10)
    assert claims == auth.SessionClaims(
        user_id=7, email="a@example.com", issued_at=NOW, expires_at=float(int(NOW + auth.COOKIE_DAYS * 86400))
    )
    payload = jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_iat": False, "verify_exp": False})
    assert "role" not in payload  # roles come from the database, never from the cookie


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_a_cookie_signed_with_another_key_means_signed_out():
    forged = jwt.encode({"sub": "1", "email": "a@example.com", "iat": NOW, "exp": NOW + 60}, "some_key")
    assert auth.read_token(forged, key=KEY, now=NOW) is None


def test_an_alg_none_cookie_means_signed_out():
    payload = {"sub": "1", "email": "admin@example.com", "iat": NOW, "exp": int(NOW + 3600)}
    handmade = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."
    pyjwt_made = jwt.encode(payload, None, algorithm="none")
    assert auth.read_token(handmade, key=KEY, now=NOW) is None
    assert auth.read_token(pyjwt_made, key=KEY, now=NOW) is None


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_another_algorithm_even_with_the_right_key_means_signed_out():
    token = jwt.encode({"sub": "1", "email": "a@example.com", "iat": NOW, "exp": NOW + 60}, KEY, "HS512")
    assert auth.read_token(token, key=KEY, now=NOW) is None


def test_an_expired_cookie_means_signed_out():
    token = auth.issue_token(user_id=7, email="a@example.com", key=KEY, now=NOW)
    expires = NOW + auth.COOKIE_DAYS * 86400
    assert auth.read_token(token, key=KEY, now=expires - 5) is not None
    assert auth.read_token(token, key=KEY, now=expires + 1) is None


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "garbage",
        "a.b.c",
        "....",
        "eyJhbGciOiJIUzI1NiJ9.e30.",
        _token(sub="not a number"),
        _token(iat=NOW + 3600),  # issued in the future
        jwt.encode({"sub": "1", "exp": NOW + 60}, KEY, "HS256"),  # no email, no iat
    ],
)
def test_malformed_cookies_mean_signed_out(token):
    assert auth.read_token(token, key=KEY, now=NOW) is None


def test_a_tampered_payload_fails_the_signature():
    header, _payload, signature = _token().split(".")
    tampered = f"{header}.{_b64({'sub': '1', 'email': 'admin@example.com', 'iat': NOW, 'exp': NOW + 60})}.{signature}"
    assert auth.read_token(tampered, key=KEY, now=NOW) is None


def test_a_session_begun_before_the_last_sign_out_is_void():
    signed_out = datetime.fromtimestamp(NOW, UTC)
    assert auth.session_is_current(issued_at=NOW - 1, valid_after=None)
    assert not auth.session_is_current(issued_at=NOW - 0.001, valid_after=signed_out)
    assert auth.session_is_current(issued_at=NOW + 0.001, valid_after=signed_out)
    # SQLite hands back naive datetimes: they are UTC.
    assert not auth.session_is_current(issued_at=NOW - 1, valid_after=signed_out.replace(tzinfo=None))


def test_issued_tokens_carry_sub_second_issue_times():
    before = time.time()
    claims = auth.read_token(auth.issue_token(user_id=1, email="a@example.com", key=KEY), key=KEY)
    assert claims is not None and before <= claims.issued_at <= time.time()


# --- lockout and roles --------------------------------------------------------------------


def test_the_first_lock_lasts_15_minutes_and_each_next_one_twice_as_long_up_to_a_day():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert [auth.lock_duration(n) for n in range(4)] == [timedelta(minutes=m) for m in (15, 30, 60, 120)]
    assert auth.lock_duration(7) == auth.lock_duration(1000) == timedelta(hours=24)
    until = now + auth.lock_duration(0)
    assert auth.lock_minutes_left(until, now=now) == 15
    assert auth.lock_minutes_left(until, now=now + timedelta(minutes=14, seconds=1)) == 1
    assert auth.lock_minutes_left(until, now=until) == 0
    assert auth.lock_minutes_left(None, now=now) == 0


def test_the_lock_message_says_when_to_try_again():
    assert "locked, try again in 15 minutes" in auth.lock_message(15)
    assert "try again in 1 minute." in auth.lock_message(1)


@pytest.mark.parametrize(
    ("role", "active", "needed", "allowed"),
    [
        ("user", True, "user", True),
        ("user", True, "admin", False),
        ("admin", True, "admin", True),
        ("admin", True, "user", True),
        ("admin", False, "admin", False),
        ("user", False, "user", False),
        ("admin", True, "superuser", False),
    ],
)
def test_roles(role, active, needed, allowed):
    user = SimpleNamespace(role=role, is_active=active)
    assert auth.has_role(user, needed) is allowed
    if not allowed:
        with pytest.raises(auth.AccessDenied):
            auth.require_role(user, needed)


def test_nobody_has_no_role():
    assert not auth.has_role(None, "user")
