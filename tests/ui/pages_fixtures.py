"""Helpers for the AppTests of the analytics pages: uploads processed synchronously, enqueues recorded.

Use in a test module:
    from tests.ui.pages_fixtures import ingest, open_page, days_csv
(the fixture `enqueued` is in tests/ui/conftest.py)
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import pipeline, uploads
from core.db import session_scope
from core.models import SocialFile, User
from tests.ui.auth_fixtures import app, sign_in
from ui.explorer_charts import CHART_TAB

START = date(2024, 1, 1)


def days_csv(days: int = 60, *, start: date = START) -> bytes:
    """A canonical daily export: day i (1-based) has views 100+i, likes i, comments 1, shares i % 3,
    subscribers 1000 + 2i."""
    lines = ["date,views,likes,comments,shares,subscribers"]
    for i in range(1, days + 1):
        day = start + timedelta(days=i - 1)
        lines.append(f"{day.isoformat()},{100 + i},{i},1,{i % 3},{1000 + 2 * i}")
    return ("\n".join(lines) + "\n").encode()


def posts_csv() -> bytes:
    """Five posts over three days: views, likes and a title each."""
    rows = [
        ("2024-03-01", "p1", "Cats", 100, 10),
        ("2024-03-01", "p2", "Dogs", 300, 9),
        ("2024-03-02", "p3", "Birds", 50, 20),
        ("2024-03-03", "p4", "Fish", 200, 2),
        ("2024-03-03", "p5", "Owls", 10, 5),
    ]
    lines = ["date,post_id,title,views,likes"] + [",".join(map(str, r)) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def ingest(
    user: User, data: bytes | Path, *, name: str = "export.csv", period_days: int | None = 30
) -> uuid.UUID:
    """Upload as `user` and run the pipeline to the end, synchronously."""
    if isinstance(data, Path):
        name, data = data.name, data.read_bytes()
    with session_scope() as session:
        file = uploads.create_upload(session, actor=user, name=name, data=data, period_days=period_days)
        file_id = file.id
    pipeline.process_file(file_id)
    return file_id


def stored(file_id: uuid.UUID) -> SocialFile | None:
    with session_scope() as session:
        return session.get(SocialFile, file_id)


def open_page(script: str, user: User | None, **query: str) -> AppTest:
    """Open a page through the router (Home.py) as `user` (None: signed out), like a browser opening
    its address with `query` as the query parameters. Needs the `routed` fixture."""
    at = app("Home.py")
    if user is not None:
        sign_in(at, user)
    at.run()
    at.switch_page(script)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def figures(at: AppTest) -> dict[str, dict]:
    """The page's plotly figures by title: {title: figure JSON}."""
    out = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        title = spec.get("layout", {}).get("title", {}).get("text", "")
        out[title] = spec
    return out


def open_chart(at: AppTest, tab: str) -> AppTest:
    """The Explorer with its chart tab labelled `tab` open (ui.explorer_charts draws that one only)."""
    at.session_state[CHART_TAB] = tab
    return at.run()


def chart_tabs(at: AppTest) -> list[str]:
    """The labels of the page's tabs."""
    return [tab.label for tab in at.tabs]


def html_text(at: AppTest) -> str:
    """The HTML the page rendered through st.html."""
    return "\n".join(e.proto.body for e in at.get("html"))
