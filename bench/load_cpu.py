"""bench/load_sessions.py --trace: CPU seconds by kind of process, sampled from /proc through the run."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

TICK_S = 0.25


def _category(pid: int, server: int) -> str | None:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        group = os.getpgid(pid)
    except OSError:
        return None
    if not cmd:  # a zombie, or a fork not yet named
        return None
    if pid == server:
        return "app server"
    if group == server:
        return "app worker"
    if "chromium" in cmd or "chrome" in cmd:
        if "--type=renderer" in cmd:
            return "chromium renderers"
        if "--type=gpu-process" in cmd:
            return "chromium gpu (software)"
        if "--type=" not in cmd:
            return "chromium browser"
        return "chromium other"
    if "playwright" in cmd and "node" in cmd:
        return "playwright driver"
    if pid == os.getpid():
        return "benchmark"
    return "other"


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


class CpuSampler:
    """CPU seconds by kind of process, sampled every TICK_S: totals and any window of the run."""

    def __init__(self, server: int) -> None:
        self.server = server
        self.samples: list[tuple[float, dict[str, float]]] = []
        self._seen: dict[int, list] = {}  # pid -> [kind, ticks at first sight, ticks last seen]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CpuSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        hz = os.sysconf("SC_CLK_TCK")
        while not self._stop.is_set():
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit() and int(entry.name) not in self._seen:
                    pid = int(entry.name)
                    if kind := _category(pid, self.server):
                        base = _ticks(pid)  # CPU before the run is not counted
                        self._seen[pid] = [kind, base, base]
            used: dict[str, float] = {}
            for pid, seen in self._seen.items():
                if seen[0].startswith("chromium") and seen[0] != "chromium renderers":
                    seen[0] = _category(pid, self.server) or seen[0]  # a zygote's fork names itself later
                seen[2] = _ticks(pid) or seen[2]  # a process that has gone keeps its last figure
                used[seen[0]] = used.get(seen[0], 0.0) + (seen[2] - seen[1]) / hz
            self.samples.append((time.monotonic(), used))
            self._stop.wait(TICK_S)

    def at(self, moment: float) -> dict[str, float]:
        """The cumulative CPU seconds by kind at the sample nearest before `moment`."""
        found = {}
        for at, used in self.samples:
            if at > moment:
                break
            found = used
        return found

    def window(self, start: float, end: float) -> dict[str, float]:
        """CPU seconds by kind between two moments of this process's monotonic clock."""
        a, b = self.at(start), self.at(end)
        return {k: b.get(k, 0.0) - a.get(k, 0.0) for k in b}

    def total(self) -> dict[str, float]:
        return self.samples[-1][1] if self.samples else {}


def cpu_line(used: dict[str, float], wall: float) -> str:
    parts = sorted(used.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v:.1f} s ({100 * v / wall:.0f} %)" for k, v in parts if v >= 0.05)
