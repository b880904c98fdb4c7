"""What bench/load_sessions.py prints: percentiles over every session of every round, CPU, load."""

from __future__ import annotations

import os
import statistics
from collections import Counter
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


def summary(args, rounds: list[dict]) -> None:
    results = [r for one in rounds for r in one["results"]]
    print(f"{args.sessions} sessions × {len(rounds)} round(s), {args.rows:,} rows each,"
          f" {'PostgreSQL' if args.postgres else 'SQLite'}, {os.cpu_count()} CPUs"
          " (shared: other work on this machine skews the figures)")  # fmt: skip
    report("sign-in", [r["sign_in"] for r in results if "sign_in" in r])
    report("upload click to Ready on screen", [r["ready"] for r in results if "ready" in r])
    report("database ready to Ready on screen", [lag for one in rounds for lag in lags(one)])
    report("Explorer render", [r["explorer"] for r in results if "explorer" in r])
    if args.steps:
        names = dict.fromkeys(name for r in results for name in r.get("laps", {}))
        for name in names:
            report(f"  step: {name}", [r["laps"][name] for r in results if name in r.get("laps", {})])
    for one in rounds:
        if args.trace:
            from bench.load_trace import report as trace_report

            trace_report(one["results"], one["sampler"], one["wall"], one["ready_db"])
        print(
            f"app server: {one['server']:.1f} s CPU over {one['wall']:.0f} s ({100 * one['server'] / one['wall']:.0f} %"
            f" of a core), {one['rss_mb']} MB RSS at the end; its worker processes: {one['workers']:.1f} s CPU"
        )
        print(f"load average (1, 5, 15 min) before: {one['load'][0]}, after: {one['load'][1]}")
    errors = [e for r in results for e in r["errors"]]
    print(f"errors: {len(errors)}")
    for error in errors:
        print("  " + error)


def lags(one: dict) -> list[float]:
    """Database ready → Ready on screen, per session of a round."""
    db = one["ready_db"]
    return [r["ready_at"] - db[r["email"]] for r in one["results"] if "ready_at" in r and r["email"] in db]


def round_line(n: int, one: dict) -> None:
    explorer = sorted(r["explorer"] for r in one["results"] if "explorer" in r)
    lag = sorted(lags(one))
    errors = sum(len(r["errors"]) for r in one["results"])
    print(f"round {n}: Explorer p50 {statistics.median(explorer):.1f} s, slowest {explorer[-1]:.1f} s;"
          f" Ready lag p50 {statistics.median(lag):.1f} s, slowest {lag[-1]:.1f} s; errors {errors}"
          if explorer and lag else f"round {n}: errors {errors}", flush=True)  # fmt: skip
    if explorer:
        print("  at the slowest Explorer's click, the other sessions: " + others_at_click(one["results"]))


def others_at_click(results: list[dict]) -> str:
    """What the sessions other than the slowest Explorer's were doing when it was clicked: where the
    machine's CPU went then."""
    slowest = max((r for r in results if "explorer" in r), key=lambda r: r["explorer"])
    at = slowest["opened"]

    def doing(r: dict) -> str:
        if r.get("clicked", at) >= at:
            return "signing in or uploading"
        if r.get("ready_mono", at) >= at:
            return "waiting for Ready"
        if r.get("opened", at) >= at:
            return "Ready, not yet in the Explorer"
        return "opening the Explorer" if r["opened"] + r.get("explorer", 0) >= at else "done"

    counts = Counter(doing(r) for r in results if r is not slowest)
    first = min(r["opened"] for r in results if "opened" in r)
    return (
        ", ".join(f"{n} {what}" for what, n in counts.most_common())
        + f" ({at - first:.1f} s after the first click)"
    )
