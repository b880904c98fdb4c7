"""Helpers for the live status tests and bench/status_refresh.py: a timer refresh in AppTest, counted.

at = open_page("pages/upload.py", user)
with Counted() as refresh:
    tick(at)               # what the browser's run_every timer does: rerun the page's fragments
refresh.queries, refresh.deltas, refresh.charts, refresh.cards, refresh.ms
"""

from __future__ import annotations

import importlib
import re
import time
from importlib.util import find_spec
from unittest import mock

from sqlalchemy import event
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.testing.v1 import AppTest, local_script_runner

from core.db import get_engine, session_scope
from core.models import SocialFile

CARD = re.compile(r"(?:upload|history|dash)_(?:card|pending)_([0-9a-f-]{36})")


def fragment_ids(at: AppTest) -> list[str]:
    """The fragments the last run registered (the live cards: no other fragment is on these pages)."""
    return list(at._fragment_storage._fragments)


def tick(at: AppTest) -> AppTest:
    """Rerun every fragment of the page as its run_every timer would (no full run)."""
    ids = fragment_ids(at)
    assert ids, "the page has no live fragment"
    real = local_script_runner.RerunData

    def rerun_data(**kwargs):
        return real(**kwargs, fragment_id_queue=ids, is_auto_rerun=True)

    with mock.patch.object(local_script_runner, "RerunData", rerun_data):
        return at.run()


class Counted:
    """Within the block: database queries, ForwardMsg deltas sent, plotly charts among them, the file
    cards (by id) drawn, timers started, board reads and wall-clock ms."""

    def __enter__(self) -> Counted:
        # (getattr: bench/status_refresh.py also measures the code from before the board existed)
        live_status = importlib.import_module("core.live_status") if find_spec("core.live_status") else None
        self.queries, self.deltas, self.timers, self.charts, self.cards = 0, 0, 0, 0, set()
        self._board = getattr(live_status, "board", None)
        self._reads = getattr(self._board, "reads", 0)
        event.listen(get_engine(), "after_cursor_execute", self._query)
        original = ScriptRunContext.enqueue
        counted = self

        def enqueue(ctx, msg):
            if msg.HasField("delta"):
                counted.deltas += 1
                element = msg.delta.new_element if msg.delta.HasField("new_element") else None
                counted.charts += element is not None and element.WhichOneof("type") == "plotly_chart"
                found = CARD.search(str(msg.delta.add_block.id)) if msg.delta.HasField("add_block") else None
                if found:
                    counted.cards.add(found.group(1))
            if msg.HasField("auto_rerun"):
                counted.timers += 1
            return original(ctx, msg)

        self._patch = mock.patch.object(ScriptRunContext, "enqueue", enqueue)
        self._patch.start()
        self._started = time.perf_counter()
        return self

    def _query(self, *_args) -> None:
        self.queries += 1

    def __exit__(self, *exc) -> None:
        self.ms = (time.perf_counter() - self._started) * 1000
        self._patch.stop()
        event.remove(get_engine(), "after_cursor_execute", self._query)
        self.board_reads = getattr(self._board, "reads", 0) - self._reads


def set_file(file_id, **values) -> None:
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        for name, value in values.items():
            setattr(file, name, value)
