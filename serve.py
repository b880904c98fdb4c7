"""The app as the browser reaches it: Home.py's pages plus the live cards' status route.

`streamlit run serve.py` (make run, the Dockerfile, the browser tests and benchmarks) serves both from
one process. The route answers a live card's watcher (ui/live.js) from the process's status board
(`core.live_status.watch`): whether what the card shows has changed, for the one file its signed
ticket names. `streamlit run Home.py` still works; its live cards then rerun on a timer instead.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from streamlit.starlette import App

from core import live_status
from ui.live import route_path

NO_STORE = {"Cache-Control": "no-store"}


def live_status_route(request: Request) -> JSONResponse:
    """GET ?ticket=…&since=…: {"fresh": the board was read after `since`, "drawn": the card's signature
    now, null once the file has left flight}. A sync endpoint: Starlette runs it in its thread pool."""
    try:
        since = float(request.query_params.get("since", ""))
    except ValueError:
        return JSONResponse({"error": "since must be a number"}, status_code=400, headers=NO_STORE)
    try:
        fresh, drawn = live_status.watch(request.query_params.get("ticket", ""), since=since)
    except live_status.TicketInvalid:
        return JSONResponse({"error": "the ticket is not valid"}, status_code=403, headers=NO_STORE)
    return JSONResponse({"fresh": fresh, "drawn": drawn}, headers=NO_STORE)


app = App("Home.py", routes=[Route(route_path(), live_status_route, methods=["GET"])])
