"""Settings: every one documented, embedded defaults that work, unsafe keys refused."""

import dataclasses
import re

import pytest

from core import config
from core.config import ConfigError, load_settings
from tests.conftest import ROOT


def test_env_example_is_the_declaration_of_every_setting():
    """.env.example is generated from core.config.Settings: a setting cannot be added without it."""
    example = (ROOT / ".env.example").read_text()
    assert example == config.env_example(), "regenerate: python -m core.config > .env.example"
    documented = re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", example, re.M)
    declared = [(config.env_name(f), f) for f in config.fields()]
    assert [name for name, _ in documented] == [name for name, _ in declared]
    for field in config.fields():  # every field is a declared setting, with help and a default
        assert field.metadata.get("help"), f"{field.name} is not declared with setting(default, help)"
        assert field.default is not dataclasses.MISSING, field.name


def test_every_documented_default_reads_back_as_the_declared_default(tmp_path):
    documented = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.+)$", (ROOT / ".env.example").read_text(), re.M))
    settings = load_settings({**documented, "STORAGE_DIR": str(tmp_path)})
    for field in config.fields():
        if field.name not in (
            "storage_dir",
            "database_url",
            "auth_cookie_key",
            "api_token_key",
        ):  # derived from the folder
            assert getattr(settings, field.name) == field.default, field.name


def test_settings_are_read_nowhere_but_core_config():
    """A value read from os.environ elsewhere would be a setting missing from the declaration."""
    sources = [
        ROOT / "Home.py",
        *(p for d in ("core", "ui", "pages", "worker", "api") for p in (ROOT / d).rglob("*.py")),
    ]
    allowed = {
        ROOT / "core" / "config.py",
        ROOT / "worker" / "runner.py",
    }  # the runner passes env to its child
    readers = [
        p.relative_to(ROOT)
        for p in sources
        if p not in allowed and re.search(r"environ|getenv", p.read_text())
    ]
    assert readers == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MAX_ROWS", "many", "MAX_ROWS must be a whole number of rows, got 'many'"),
        ("WORKER_STUCK_AFTER_S", "0", "WORKER_STUCK_AFTER_S must be positive"),
        ("ALLOW_REGISTRATION", "maybe", "ALLOW_REGISTRATION must be true or false, got 'maybe'"),
    ],
)
def test_a_bad_value_names_the_setting(tmp_path, name, value, message):
    with pytest.raises(ConfigError) as raised:
        load_settings({"STORAGE_DIR": str(tmp_path), name: value})
    assert str(raised.value) == message


def test_embedded_defaults_need_nothing_but_a_folder(tmp_path):
    settings = load_settings({"STORAGE_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'social_analytics.db'}"
    assert settings.celery_broker_url is None
    assert settings.max_upload_mb == 200
    key = (tmp_path / "auth_cookie_key").read_text()
    assert len(key) >= 32 and settings.auth_cookie_key == key
    # Generated once, then kept: a restart must not sign everybody out.
    assert load_settings({"STORAGE_DIR": str(tmp_path)}).auth_cookie_key == key


@pytest.mark.parametrize("key", ["some_key", "short-key", "x" * 31])
def test_short_or_sample_cookie_keys_are_refused(tmp_path, key):
    with pytest.raises(ConfigError, match="AUTH_COOKIE_KEY"):
        load_settings({"STORAGE_DIR": str(tmp_path), "AUTH_COOKIE_KEY": key})


def test_plain_postgres_urls_use_psycopg_3(tmp_path):
    settings = load_settings({"STORAGE_DIR": str(tmp_path), "DATABASE_URL": "postgresql://u@h/db"})
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_upload_limit_must_be_a_number(tmp_path):
    with pytest.raises(ConfigError, match="MAX_UPLOAD_MB"):
        load_settings({"STORAGE_DIR": str(tmp_path), "MAX_UPLOAD_MB": "lots"})


def test_the_api_token_key_is_generated_once_apart_from_the_cookie_key(tmp_path):
    settings = load_settings({"STORAGE_DIR": str(tmp_path)})
    key = (tmp_path / "api_token_key").read_text()
    assert len(key) >= 32 and settings.api_token_key == key != settings.auth_cookie_key
    assert load_settings({"STORAGE_DIR": str(tmp_path)}).api_token_key == key
    with pytest.raises(ConfigError, match="API_TOKEN_KEY"):
        load_settings({"STORAGE_DIR": str(tmp_path), "API_TOKEN_KEY": "secret"})
