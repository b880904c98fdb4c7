"""The embedded runner: child processes (`python -m worker.runner`), each running one job at a time.

Used when CELERY_BROKER_URL is not set. Processes, so that CPU-bound parsing never holds the UI's
GIL and a crash while parsing cannot take the app down; plain subprocesses rather than
multiprocessing, because spawn re-runs whatever `__main__` is (under Streamlit: the page being
run) and fork would copy a threaded web server.

Each job names a lane (its user). The lanes take turns: the next job is the oldest of the lane whose
last job began longest ago, so a user's file never waits behind another user's ten, and a lane's
jobs run in submission order. With a pool (WORKER_PROCESSES above 1) a lane has one job running at a
time and different lanes run at once. Two deliveries of one file are harmless anyway: the file's
run lock (core.runs) lets only one work on it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Hashable
from pathlib import Path

from worker import jobs

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
JOBS_PER_PROCESS = 50  # a fresh process now and then bounds what a long-lived one can leak


class _Child:
    """One slot's child process; started on the slot's first job, replaced when it dies."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.served = 0
        self.busy = False

    @property
    def pid(self) -> int | None:
        proc = self.proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def ask(self, job: tuple) -> str:
        """The child's answer line for `job`, or "" if the child died running it."""
        proc = self._started()
        try:
            proc.stdin.write(json.dumps(job) + "\n")
            proc.stdin.flush()
            answer = proc.stdout.readline()
        except (BrokenPipeError, ValueError):
            answer = ""
        if answer:
            self.served += 1
            return answer
        proc.wait()
        self.proc = None
        return ""

    def _started(self) -> subprocess.Popen:
        if self.proc is not None and (self.proc.poll() is not None or self.served >= JOBS_PER_PROCESS):
            self.stop()
        if self.proc is None:
            path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "worker.runner"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": path},
                text=True,
            )
            self.served = 0
        return self.proc

    def kill(self) -> None:
        proc = self.proc
        if proc is not None:
            proc.kill()

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                proc.stdin.close()  # end of input: the child exits
            except BrokenPipeError:
                pass
            proc.wait()


class LocalRunner:
    """Feeds jobs to up to `processes` child processes, a thread each; replaces a child that dies."""

    def __init__(self, *, max_deaths: int, processes: int = 1, periodic: list[tuple[tuple, float]] = ()):
        """`periodic`: (job, seconds) pairs, each job submitted now and then every so often while the
        runner is open (the scheduled reports and the storage sweep, which beat sends with a broker)."""
        self.max_deaths = max_deaths
        self._cond = threading.Condition()
        self._queue: list[tuple[tuple, Hashable]] = []  # (job, lane), in submission order
        self._pending: set[tuple] = set()  # queued or running: the same job is not queued twice
        self._running_lanes: set[Hashable] = set()
        self._turns: dict[Hashable, int] = {}  # when each lane's last job began (a count of jobs begun)
        self._turn = 0
        self._closing = False  # close(): no more jobs are taken once the queue is empty
        self._closed = False  # close(wait=False): none at all, the running ones killed
        self._stopped = threading.Event()
        self._children = [_Child() for _ in range(max(1, processes))]
        self._threads = [
            threading.Thread(target=self._loop, args=(child, n), name=f"background-runner-{n}", daemon=True)
            for n, child in enumerate(self._children)
        ]
        for thread in self._threads:
            thread.start()
        for every in periodic:
            threading.Thread(target=self._tick, args=every, name="background-periodic", daemon=True).start()

    def _tick(self, job: tuple, every_s: float) -> None:
        while not self._stopped.is_set() and not self._closed:
            self.submit(job)  # not queued twice: a slow run is not stacked behind itself
            self._stopped.wait(every_s)

    @property
    def pid(self) -> int | None:
        """A live child's pid, one running a job first (health checks, tests)."""
        pids = self.pids
        return pids[0] if pids else None

    @property
    def pids(self) -> list[int]:
        ordered = sorted(self._children, key=lambda child: not child.busy)
        return [pid for child in ordered if (pid := child.pid) is not None]

    def submit(self, job: tuple, lane: Hashable = None) -> None:
        """Queue `job`; jobs of one `lane` (not None) never run at the same time."""
        with self._cond:
            if job in self._pending or self._closing:
                return
            self._pending.add(job)
            self._queue.append((job, lane))
            self._cond.notify_all()

    def close(self, *, wait: bool) -> None:
        """Stop after the queued jobs (wait) or at once, killing the running ones (not wait)."""
        self._stopped.set()
        with self._cond:
            self._closing = True
            self._closed = self._closed or not wait
            self._cond.notify_all()
        if not wait:
            for child in self._children:
                child.kill()
            return
        for thread in self._threads:
            thread.join()

    def _take(self, child: _Child, slot: int) -> tuple[tuple, Hashable] | None:
        """The oldest queued job whose lane is free, waiting for one; None once closed."""
        while True:
            with self._cond:
                taken, idle = self._next(child, slot)
            if not idle:
                return taken
            child.stop()  # an extra slot lets its process go while there is nothing to do

    def _next(self, child: _Child, slot: int) -> tuple[tuple[tuple, Hashable] | None, bool]:
        """(job and lane, False), or (None, False) once closed, or (None, True) when an extra slot
        with a process finds nothing to do. The caller holds the condition."""
        while not self._closed:
            free = [n for n, (_job, lane) in enumerate(self._queue) if lane not in self._running_lanes]
            if free:  # the lane whose last turn began longest ago (or never) goes first
                n = min(free, key=lambda n: (self._turns.get(self._queue[n][1], -1), n))
                job, lane = self._queue.pop(n)
                self._turns[lane], self._turn = self._turn, self._turn + 1
                if lane is not None:
                    self._running_lanes.add(lane)
                child.busy = True
                return (job, lane), False
            if self._closing and not self._queue:
                break
            if slot and child.proc is not None and not self._queue:
                return None, True
            self._cond.wait()
        return None, False

    def _done(self, child: _Child, job: tuple, lane: Hashable) -> None:
        with self._cond:
            child.busy = False
            self._pending.discard(job)
            self._running_lanes.discard(lane)
            self._cond.notify_all()

    def _loop(self, child: _Child, slot: int) -> None:
        while (taken := self._take(child, slot)) is not None:
            job, lane = taken
            try:
                self._run(child, job)
            except Exception:  # the loop must outlive any single job
                log.exception("background job %r failed", job)
            finally:
                self._done(child, job, lane)
        child.stop()

    def _run(self, child: _Child, job: tuple) -> None:
        for _ in range(self.max_deaths + 1):
            answer = child.ask(job)
            if answer:
                if answer.strip() != "ok":
                    log.error("background job %r failed: %s", job, answer.strip())
                return
            if self._closed:
                return
            log.error("the background process died running %r", job)
        # The file's own attempts counter ends a file that kills every process; this is the backstop.
        log.error("giving up on %r after %d deaths", job, self.max_deaths + 1)


def main() -> None:
    """The child: read one JSON job per line, run it, answer `ok` (or the error) on a line."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to the log, not the answers
    logging.basicConfig(level=logging.INFO, format="%(asctime)s runner %(name)s: %(message)s")
    if hasattr(os, "nice"):
        os.nice(5)  # the UI's process keeps the upper hand on a small machine
    for line in sys.stdin:
        name, *args = json.loads(line)
        try:
            jobs.run(name, *args)
            answers.write("ok\n")
        except Exception as exc:
            log.exception("job %s%r failed", name, tuple(args))
            answers.write(f"error {type(exc).__name__}: {exc}".replace("\n", " ") + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
