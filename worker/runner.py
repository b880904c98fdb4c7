"""The embedded runner: a child process (`python -m worker.runner`) that runs jobs one at a time.

Used when CELERY_BROKER_URL is not set. A process, so that CPU-bound parsing never holds the UI's
GIL and a crash while parsing cannot take the app down; a plain subprocess rather than
multiprocessing, because spawn re-runs whatever `__main__` is (under Streamlit: the page being
run) and fork would copy a threaded web server.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from worker import jobs

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
JOBS_PER_PROCESS = 50  # a fresh process now and then bounds what a long-lived one can leak


class LocalRunner:
    """Feeds jobs to one child process from a thread of its own; replaces the child if it dies."""

    def __init__(self, *, max_deaths: int, periodic: list[tuple[tuple, float]] = ()):
        """`periodic`: (job, seconds) pairs, each job submitted now and then every so often while the
        runner is open (the scheduled reports and the storage sweep, which beat sends with a broker)."""
        self.max_deaths = max_deaths
        self._jobs: queue.Queue[tuple | None] = queue.Queue()
        self._pending: set[tuple] = set()  # queued or running: the same job is not queued twice
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._served = 0
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="background-runner", daemon=True)
        self._thread.start()
        self._stopped = threading.Event()
        for every in periodic:
            threading.Thread(target=self._tick, args=every, name="background-periodic", daemon=True).start()

    def _tick(self, job: tuple, every_s: float) -> None:
        while not self._stopped.is_set() and not self._closed:
            self.submit(job)  # not queued twice: a slow run is not stacked behind itself
            self._stopped.wait(every_s)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def submit(self, job: tuple) -> None:
        with self._lock:
            if job in self._pending:
                return
            self._pending.add(job)
        self._jobs.put(job)

    def close(self, *, wait: bool) -> None:
        """Stop after the queued jobs (wait) or at once, killing the running one (not wait)."""
        self._stopped.set()
        if not wait:
            self._closed = True
            proc = self._proc
            if proc is not None:
                proc.kill()
        self._jobs.put(None)
        if wait:
            self._thread.join()

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._closed:
                continue
            try:
                self._run(job)
            except Exception:  # the loop must outlive any single job
                log.exception("background job %r failed", job)
            finally:
                with self._lock:
                    self._pending.discard(job)
        self._stop_child()

    def _run(self, job: tuple) -> None:
        for _ in range(self.max_deaths + 1):
            proc = self._child()
            try:
                proc.stdin.write(json.dumps(job) + "\n")
                proc.stdin.flush()
                answer = proc.stdout.readline()
            except (BrokenPipeError, ValueError):
                answer = ""
            if answer:
                self._served += 1
                if answer.strip() != "ok":
                    log.error("background job %r failed: %s", job, answer.strip())
                return
            proc.wait()
            self._proc = None
            if self._closed:
                return
            log.error("the background process died (%s) running %r", proc.returncode, job)
        # The file's own attempts counter ends a file that kills every process; this is the backstop.
        log.error("giving up on %r after %d deaths", job, self.max_deaths + 1)

    def _child(self) -> subprocess.Popen:
        if self._proc is not None and (self._proc.poll() is not None or self._served >= JOBS_PER_PROCESS):
            self._stop_child()
        if self._proc is None:
            path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "worker.runner"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": path},
                text=True,
            )
            self._served = 0
        return self._proc

    def _stop_child(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                proc.stdin.close()  # end of input: the child exits
            except BrokenPipeError:
                pass
            proc.wait()


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
