"""What one status refresh costs: queries, milliseconds and elements sent per timer rerun of a page.

Opens the Upload, History and Dashboard pages (AppTest, through the router) as a user with `--ready`
finished files and `--pending` files in flight, then reruns the page's timer fragments as the
browser's timer would, `--ticks` times, and prints per refresh: database queries, ms, elements sent
to the browser, and how many times the shared status board read the database.

    .venv/bin/python bench/status_refresh.py --ready 9 --pending 1

Embedded SQLite in a scratch STORAGE_DIR; nothing is processed (the pending files stay pending).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = ("pages/upload.py", "pages/history.py", "pages/dashboard.py")


def setup(ready: int, pending: int):
    os.environ["STORAGE_DIR"] = tempfile.mkdtemp(prefix="status_refresh_")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # route like a server (tests/conftest.py, fixture `routed`)
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    from core import auth, uploads
    from core.db import migrate, session_scope
    from tests.factories import make_user
    from tests.ui.pages_fixtures import days_csv, ingest
    from worker import dispatch

    auth.BCRYPT_ROUNDS = 4
    dispatch.start = lambda: None  # nothing recovers or processes the pending files
    dispatch.enqueue_file = lambda file_id: True
    migrate()
    make_user("root@example.com", role="admin")
    user = make_user("anna@example.com")
    for i in range(ready):
        ingest(user, days_csv(20 + i), name=f"ready{i}.csv")
    with session_scope() as session:
        for i in range(pending):
            file = uploads.create_upload(session, actor=user, name=f"pending{i}.csv", data=days_csv(200 + i))
            file.status, file.progress = "processing", 40
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ready", type=int, default=9)
    parser.add_argument("--pending", type=int, default=1)
    parser.add_argument("--ticks", type=int, default=10)
    args = parser.parse_args()
    user = setup(args.ready, args.pending)
    from tests.ui.live_fixtures import Counted, tick
    from tests.ui.pages_fixtures import open_page

    print(f"{args.ready} ready + {args.pending} pending files; {args.ticks} refreshes per page (AppTest)")
    for page in PAGES:
        with Counted() as opened:
            at = open_page(page, user)
        assert not at.exception, at.exception
        refreshes = []
        for _ in range(args.ticks):
            time.sleep(0.2)
            with Counted() as one:
                tick(at)
            refreshes.append(one)
        ms = statistics.median(r.ms for r in refreshes)
        print(
            f"{page:<20} open: {opened.queries:>3} queries {opened.ms:>6.0f} ms   per refresh: "
            f"{statistics.mean(r.queries for r in refreshes):.1f} queries (board reads "
            f"{statistics.mean(r.board_reads for r in refreshes):.1f}), {ms:.0f} ms, "
            f"{statistics.mean(r.deltas for r in refreshes):.0f} elements sent"
        )


if __name__ == "__main__":
    main()
