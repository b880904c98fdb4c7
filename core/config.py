"""One settings object, read from the environment, with embedded defaults."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MIN_COOKIE_KEY_LENGTH = 32
# Keys that appear in samples and tutorials; a deployment using one can be forged.
SAMPLE_COOKIE_KEYS = {"some_key", "change-me", "changeme", "secret", "random_signature_key"}


class ConfigError(ValueError):
    """A setting is missing or unsafe; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    storage_dir: Path
    database_url: str
    celery_broker_url: str | None
    auth_cookie_key: str
    max_upload_mb: int
    allow_registration: bool = True
    max_rows: int = 5_000_000
    max_columns: int = 5_000
    max_line_chars: int = 1_000_000
    max_attempts: int = 3
    # A queued or processing file silent for this long has lost its worker and is queued again.
    worker_stuck_after_s: float = 120.0
    # How often beat looks for such files.
    worker_recover_every_s: float = 60.0
    # Per-user limits (0 = none); an admin may set other values for one user (core.quotas).
    max_uploads_per_day: int = 500
    max_stored_mb: int = 20_480
    max_files_in_flight: int = 20
    # How long a one-time sign-in link an admin issued stays valid.
    sign_in_link_hours: float = 24.0

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def uploads_dir(self) -> Path:
        return self.storage_dir / "uploads"

    @property
    def reports_dir(self) -> Path:
        return self.storage_dir / "reports"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _seconds(env, name: str, default: float, unit: str = "seconds") -> float:
    raw = env.get(name)
    try:
        value = float(raw) if raw else default
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number of {unit}, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be positive")
    return value


def _count(env, name: str, default: int) -> int:
    raw = env.get(name)
    try:
        value = int(raw) if raw else default
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < 0:
        raise ConfigError(f"{name} must be 0 (no limit) or more")
    return value


def _cookie_key(storage_dir: Path, configured: str | None) -> str:
    """The configured key, or one generated once and kept under STORAGE_DIR."""
    if configured:
        key = configured
    else:
        path = storage_dir / "auth_cookie_key"
        if not path.exists():
            storage_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        key = path.read_text().strip()
    if key.lower() in SAMPLE_COOKIE_KEYS or len(key) < MIN_COOKIE_KEY_LENGTH:
        raise ConfigError(
            f"AUTH_COOKIE_KEY must be a random secret of at least {MIN_COOKIE_KEY_LENGTH} "
            "characters (sample keys are refused). Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return key


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read and validate the settings from `env` (default: os.environ)."""
    env = os.environ if env is None else env
    storage_dir = Path(env.get("STORAGE_DIR") or "./data").resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{storage_dir / 'social_analytics.db'}"
    if database_url.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is our PostgreSQL driver; accept the plain URL people paste.
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    try:
        max_upload_mb = int(env.get("MAX_UPLOAD_MB") or 200)
    except ValueError as exc:
        raise ConfigError(
            f"MAX_UPLOAD_MB must be a whole number of megabytes, got {env.get('MAX_UPLOAD_MB')!r}"
        ) from exc
    if max_upload_mb <= 0:
        raise ConfigError("MAX_UPLOAD_MB must be positive")
    return Settings(
        storage_dir=storage_dir,
        database_url=database_url,
        celery_broker_url=env.get("CELERY_BROKER_URL") or None,
        auth_cookie_key=_cookie_key(storage_dir, env.get("AUTH_COOKIE_KEY")),
        max_upload_mb=max_upload_mb,
        allow_registration=_flag(env.get("ALLOW_REGISTRATION"), True),
        worker_stuck_after_s=_seconds(env, "WORKER_STUCK_AFTER_S", 120.0),
        worker_recover_every_s=_seconds(env, "WORKER_RECOVER_EVERY_S", 60.0),
        max_uploads_per_day=_count(env, "MAX_UPLOADS_PER_DAY", 500),
        max_stored_mb=_count(env, "MAX_STORED_MB", 20_480),
        max_files_in_flight=_count(env, "MAX_FILES_IN_FLIGHT", 20),
        sign_in_link_hours=_seconds(env, "SIGN_IN_LINK_HOURS", 24.0, "hours"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
