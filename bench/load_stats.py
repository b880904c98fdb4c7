"""What bench/load_sessions.py prints besides the browser's timings: percentiles, CPU, load."""

from __future__ import annotations

import os
import statistics
from pathlib import Path


def pct(values: list[float], q: float) -> str:
    if not values:
        return "n/a"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]:.1f} s"


def report(name: str, values: list[float]) -> None:
    median = f"{statistics.median(values):.1f} s" if values else "n/a"
    print(
        f"{name:<44} p50 {median:>8}   p95 {pct(values, 0.95):>8}   max {pct(values, 1):>8}   n={len(values)}"
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_cpu(pgid: int) -> dict[int, float]:
    """CPU seconds of every process of the app's process group (the server and its worker), by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    found[int(entry.name)] = cpu_seconds(int(entry.name))
            except OSError:
                continue
    return found


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def db_ready_times() -> dict[str, float]:
    """When the database recorded each user's file as ready (epoch seconds), by email."""
    from sqlalchemy import select

    from core.db import session_scope
    from core.models import SocialFile, User

    with session_scope() as session:
        rows = session.execute(
            select(User.email, SocialFile.finished_at, SocialFile.status).join(SocialFile.owner)
        )
        return {
            email: finished.timestamp() for email, finished, status in rows if finished and status == "ready"
        }
