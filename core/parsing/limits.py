"""The size limits an upload must respect, from the settings (MAX_UPLOAD_MB and friends)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200 << 20
    max_rows: int = 5_000_000
    max_columns: int = 5_000
    max_line_chars: int = 1_000_000

    @classmethod
    def from_settings(cls) -> Limits:
        """The limits configured for this deployment."""
        from core.config import get_settings

        s = get_settings()
        return cls(
            max_bytes=s.max_upload_mb << 20,
            max_rows=s.max_rows,
            max_columns=s.max_columns,
            max_line_chars=s.max_line_chars,
        )
