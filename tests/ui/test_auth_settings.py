"""The Streamlit settings that protect users: upload cap, XSRF/CORS, no tracebacks on screen."""

from __future__ import annotations

import tomllib

from core.config import load_settings
from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_upload_cap_matches_the_default_max_upload_mb(tmp_path):
    default = load_settings({"STORAGE_DIR": str(tmp_path)}).max_upload_mb
    assert CONFIG["server"]["maxUploadSize"] == default == 200


def test_xsrf_and_cors_protection_stay_on():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["enableCORS"] is True


def test_errors_never_show_details_and_the_toolbar_is_minimal():
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["client"]["toolbarMode"] == "minimal"


def test_the_theme_is_set():
    assert {"base", "primaryColor", "font"} <= set(CONFIG["theme"])
