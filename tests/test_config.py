"""Settings: every one documented, embedded defaults that work, unsafe keys refused."""

import re
import subprocess
import sys

import pytest

from core.config import ConfigError, load_settings
from tests.conftest import ROOT


def test_every_setting_is_documented_in_env_example():
    source = (ROOT / "core" / "config.py").read_text()
    read = set(re.findall(r'env\.get\("([A-Z_]+)"', source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no settings found in core/config.py"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


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


def test_core_imports_neither_streamlit_nor_celery():
    code = (
        "import pkgutil, importlib, sys, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    if m.name != 'core.__main__': importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('streamlit', 'celery'))\n"
        "assert not bad, bad\n"
        "print('ok', len([n for n in sys.modules if n.startswith('core')]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")
