"""Every setting, declared once: its field, type, default and help text; read from the environment.

A setting is one field of `Settings` made with `setting(default, help)`: the environment variable
is the field's name in capitals, the type is the field's annotation (str, int, float, bool, Path,
or one of them `| None`), numbers must be positive (or 0, where `zero_ok` says so). `.env.example` is generated from these fields
(`python -m core.config > .env.example`) and a test keeps the two equal. To add a setting, add a
field here, then regenerate `.env.example`.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import sys
import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MIN_COOKIE_KEY_LENGTH = 32
# Keys that appear in samples and tutorials; a deployment using one can be forged.
SAMPLE_COOKIE_KEYS = {"some_key", "change-me", "changeme", "secret", "random_signature_key"}
STORAGE_BACKENDS = ("auto", "s3", "database", "local")
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A setting is missing or unsafe; the message says which and why."""


def setting(default: Any, help: str, *, unit: str = "", zero_ok: bool = False) -> Any:
    """Declare a field of `Settings`: its embedded default, its help text (one line per comment line);
    `zero_ok` lets a number be 0 (a limit that 0 turns off)."""
    return dataclasses.field(default=default, metadata={"help": help, "unit": unit, "zero_ok": zero_ok})


@dataclass(frozen=True)
class Settings:
    storage_dir: Path = setting(
        Path("./data"), "Where uploads, reports, the SQLite database and the generated cookie key live."
    )
    storage_backend: str = setting(
        "auto",
        "Where uploads and built reports are kept, for every host to read: auto (the S3 bucket when S3_BUCKET\n"
        "is set, else PostgreSQL when it is the database, else the STORAGE_DIR folder), s3, database, local.",
    )
    s3_bucket: str | None = setting(None, "An S3-compatible store (AWS S3, MinIO): its bucket (must exist),")
    s3_endpoint_url: str | None = setting(None, "its address (e.g. http://127.0.0.1:9000; unset: AWS),")
    s3_region: str | None = setting(None, "its region (e.g. us-east-1),")
    s3_access_key_id: str | None = setting(None, "its access key and the key's secret (unset: boto3's own")
    s3_secret_access_key: str | None = setting(None, "chain: AWS_* variables, ~/.aws, an instance role).")
    database_url: str = setting(
        "",
        "SQLAlchemy URL. Unset: SQLite at $STORAGE_DIR/social_analytics.db.\n"
        "PostgreSQL: postgresql+psycopg://user:password@host:5432/dbname",
    )
    celery_broker_url: str | None = setting(
        None,
        "Celery broker. Unset: tasks run in a background process of the app itself.\n"
        "Redis: redis://127.0.0.1:6379/0",
    )
    auth_cookie_key: str = setting(
        "",
        "Secret that signs the login cookie: 32+ random characters, never a sample value.\n"
        "Unset: generated once and kept in $STORAGE_DIR/auth_cookie_key.",
    )
    max_upload_mb: int = setting(
        200,
        "Largest upload accepted, in megabytes (keep .streamlit/config.toml's server.maxUploadSize equal).",
        unit="megabytes",
    )
    max_rows: int = setting(5_000_000, "Most data rows a file may have.", unit="rows")
    max_columns: int = setting(5_000, "Most columns a file may have.", unit="columns")
    max_line_chars: int = setting(1_000_000, "Longest line of a file, in characters.", unit="characters")
    max_xlsx_cells: int = setting(
        20_000_000,
        "Most cells the first sheet of an Excel workbook may hold, declared or read (a 1.5 MB .xlsx\n"
        "can declare millions).",
        unit="cells",
    )
    max_xlsx_unpacked_mb: int = setting(
        1_024,
        "Most megabytes of XML an Excel workbook may unpack to (checked before it is opened).",
        unit="megabytes",
    )
    max_xlsx_strings_mb: int = setting(
        48,
        "Most megabytes of shared text (sharedStrings.xml) a workbook may hold: it is kept in memory\n"
        "while the sheet is read (48 MB of the shortest strings peak near 230 MB).",
        unit="megabytes",
    )
    max_attempts: int = setting(
        3, "How many times processing a file may stop unexpectedly before the file ends in error."
    )
    # Users take turns either way; on 2 cores, two processes made ten 50k-row files finish later (README).
    worker_processes: int = setting(1, "Without a broker: background processes at once (2+ on 4+ cores).")
    worker_stuck_after_s: float = setting(
        120.0,
        "A file queued or processing with no sign of life for this many seconds is queued again\n"
        "(and the pages offer to retry it).",
        unit="seconds",
    )
    worker_recover_every_s: float = setting(
        60.0, "How often (seconds) the beat service looks for such files.", unit="seconds"
    )
    schedules_every_s: float = setting(
        900.0,
        "How often (seconds) beat, or the app's own background process without a broker, sends the\n"
        "scheduled reports that are due (weekly on Mondays, monthly on the 1st) and retries failed sends.",
        unit="seconds",
    )
    transient_retries: int = setting(
        3,
        "A transient database fault (connection lost, serialization failure, deadlock) is retried\n"
        "this many times before the file ends in error.",
    )
    transient_backoff_s: float = setting(
        1.0, "The pause before the first such retry; each next one waits twice as long.", unit="seconds"
    )
    allow_registration: bool = setting(
        True,
        "Whether visitors may create their own accounts (the first administrator is always created at setup).",
    )
    max_uploads_per_day: int = setting(
        500,
        "Per-user limits, 0 for none (the Admin page sets other values for one user, core.quotas):\n"
        "files a user may upload in any 24 hours,",
        unit="files",
        zero_ok=True,
    )
    max_stored_mb: int = setting(
        20_480, "megabytes of uploads a user may keep,", unit="megabytes", zero_ok=True
    )
    max_files_in_flight: int = setting(
        20, "and files a user may have queued or processing at once.", unit="files", zero_ok=True
    )
    sign_in_link_hours: float = setting(
        24.0, "How long a one-time sign-in link issued on the Admin page stays valid, in hours.", unit="hours"
    )
    api_host: str = setting(
        "127.0.0.1", "The interface the REST API (`make api`) listens on; 0.0.0.0 for every one."
    )
    api_port: int = setting(8000, "The REST API's port.", unit="port number")
    api_token_key: str = setting(
        "",
        "Secret that signs the REST API's access and refresh tokens: 32+ random characters.\n"
        "Unset: generated once and kept in $STORAGE_DIR/api_token_key.",
    )
    api_access_ttl_s: float = setting(
        900.0, "How long an API access token lives, in seconds.", unit="seconds"
    )
    api_refresh_ttl_s: float = setting(
        7 * 86400.0, "How long an API refresh token lives, in seconds (a week).", unit="seconds"
    )
    smtp_url: str | None = setting(
        None,
        "Mail server for reports sent by e-mail (scheduled or `report --email`): smtp://[user:password@]host:port\n"
        "(smtps:// for TLS from the start). Unset: e-mail is off.",
    )
    mail_from: str = setting("Social Analytics <reports@localhost>", "The From address of those e-mails.")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def uploads_dir(self) -> Path:
        return self.storage_dir / "uploads"

    @property
    def reports_dir(self) -> Path:
        return self.storage_dir / "reports"


def fields() -> tuple[dataclasses.Field, ...]:
    """The declared settings, in declaration order."""
    return dataclasses.fields(Settings)


def env_name(field: dataclasses.Field) -> str:
    return field.name.upper()


def default(name: str) -> Any:
    """The embedded default of setting `name` (for code that must agree with it, e.g. parsing limits)."""
    return Settings.__dataclass_fields__[name].default


def _kind(name: str) -> type:
    """The field's type without `| None`."""
    hint = typing.get_type_hints(Settings)[name]
    if isinstance(hint, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    return hint


def _parse(field: dataclasses.Field, raw: str) -> Any:
    """The environment's text for `field` as its declared type; ConfigError naming the variable."""
    kind, name = _kind(field.name), env_name(field)
    if kind is bool:
        word = raw.strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise ConfigError(f"{name} must be true or false, got {raw!r}")
        return word in TRUE_WORDS
    if kind in (int, float):
        what = "a whole number" if kind is int else "a number"
        unit = field.metadata["unit"]
        try:
            value = kind(raw)
        except ValueError as exc:
            raise ConfigError(f"{name} must be {what}{f' of {unit}' if unit else ''}, got {raw!r}") from exc
        if value < 0 or (value == 0 and not field.metadata["zero_ok"]):
            raise ConfigError(
                f"{name} must be {'0 (no limit) or more' if field.metadata['zero_ok'] else 'positive'}"
            )
        return value
    return kind(raw)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read and validate the settings from `env` (default: os.environ); an empty value means unset."""
    env = os.environ if env is None else env
    values = {f.name: _parse(f, env[env_name(f)]) for f in fields() if env.get(env_name(f))}
    storage_dir = values["storage_dir"] = Path(values.get("storage_dir", default("storage_dir"))).resolve()
    values["database_url"] = _database_url(storage_dir, values.get("database_url"))
    values["auth_cookie_key"] = _cookie_key(storage_dir, values.get("auth_cookie_key"))
    values["api_token_key"] = _cookie_key(storage_dir, values.get("api_token_key"), "API_TOKEN_KEY")
    if values.get("storage_backend", "auto") not in STORAGE_BACKENDS:
        raise ConfigError(
            f"STORAGE_BACKEND must be one of {', '.join(STORAGE_BACKENDS)}, got {values['storage_backend']!r}"
        )
    if values.get("storage_backend") == "s3" and not values.get("s3_bucket"):
        raise ConfigError("STORAGE_BACKEND=s3 needs S3_BUCKET, the bucket that keeps uploads and reports")
    return Settings(**values)


def _database_url(storage_dir: Path, configured: str | None) -> str:
    url = configured or f"sqlite:///{storage_dir / 'social_analytics.db'}"
    if url.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is our PostgreSQL driver; accept the plain URL people paste.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _cookie_key(storage_dir: Path, configured: str | None, name: str = "AUTH_COOKIE_KEY") -> str:
    """The configured key, or one generated once and kept under STORAGE_DIR (in a file named after it)."""
    if configured:
        key = configured
    else:
        path = storage_dir / name.lower()
        if not path.exists():
            storage_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        key = path.read_text().strip()
    if key.lower() in SAMPLE_COOKIE_KEYS or len(key) < MIN_COOKIE_KEY_LENGTH:
        raise ConfigError(
            f"{name} must be a random secret of at least {MIN_COOKIE_KEY_LENGTH} "
            "characters (sample keys are refused). Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Path) and not value.is_absolute():
        return f"./{value}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def env_example() -> str:
    """The text of `.env.example`: every setting with its help and embedded default."""
    parts = [
        "# Every setting, with its embedded default. Copy to .env (or export) to change one.\n"
        "# Generated from core/config.py: python -m core.config > .env.example\n"
    ]
    for field in fields():
        comments = "".join(f"# {line}\n" for line in field.metadata["help"].splitlines())
        parts.append(f"{comments}{env_name(field)}={_shown(field.default)}\n")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(env_example())
