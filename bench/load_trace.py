"""bench/load_sessions.py --trace: where one session's Explorer time goes while the others run.

Per session, Chromium's devtools give the app's websocket frames (what the browser asked, when each
run of the server began and ended, when the first chart's element arrived), the scripts it fetched
(plotly.js) and its page's main-thread time (Performance.getMetrics); a sampler reads /proc for the
CPU of the app server, its worker processes, Chromium's processes and the driver. Not a test.
"""

from __future__ import annotations

import base64
import statistics
import time
from dataclasses import dataclass, field

from bench.load_cpu import CpuSampler, cpu_line

WARM_UP = "sa_plotly_warmup"  # ui/chart_warmup.py's off-screen chart: not the Explorer's


@dataclass
class Frame:
    at: float  # time.monotonic() of this process, from Chromium's clock (see SessionTrace.offset)
    kind: str
    detail: str = ""


@dataclass
class SessionTrace:
    """One browser context's frames and script fetches, timestamps in Chromium's monotonic clock."""

    frames: list[tuple[float, float, str, bytes]] = field(default_factory=list)  # (cdp, py, dir, data)
    scripts: dict[str, list] = field(default_factory=dict)  # request id -> [url, start, end, bytes]
    cdp: object = None

    async def attach(self, page) -> None:
        self.cdp = await page.context.new_cdp_session(page)
        self.cdp.on("Network.webSocketFrameReceived", lambda e: self._frame(e, "got"))
        self.cdp.on("Network.webSocketFrameSent", lambda e: self._frame(e, "sent"))
        self.cdp.on("Network.requestWillBeSent", self._request)
        self.cdp.on("Network.loadingFinished", self._loaded)
        await self.cdp.send("Network.enable")
        await self.cdp.send("Performance.enable")

    def _frame(self, event, direction: str) -> None:
        response = event["response"]
        data = response["payloadData"]
        raw = base64.b64decode(data) if response["opcode"] == 2 else data.encode()
        self.frames.append((event["timestamp"], time.monotonic(), direction, raw))

    def _request(self, event) -> None:
        url = event["request"]["url"]
        if url.endswith(".js"):
            self.scripts[event["requestId"]] = [url.rsplit("/", 1)[-1], event["timestamp"], None, 0]

    def _loaded(self, event) -> None:
        if found := self.scripts.get(event["requestId"]):
            found[2], found[3] = event["timestamp"], event.get("encodedDataLength", 0)

    async def main_thread(self) -> dict[str, float]:
        """Chromium's counters of this page's main thread (seconds): task, script, layout, style."""
        metrics = (await self.cdp.send("Performance.getMetrics"))["metrics"]
        return {m["name"]: m["value"] for m in metrics}

    def offset(self) -> float:
        """time.monotonic() minus Chromium's clock (the smallest delivery delay seen)."""
        return min(py - cdp for cdp, py, _d, _r in self.frames) if self.frames else 0.0

    def events(self) -> list[Frame]:
        """Each frame decoded: 'ask page' / 'ask fragment' (rerun_script), 'start', 'end <status>',
        'chart' (a plotly element), in this process's monotonic clock."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        shift, out = self.offset(), []
        for cdp, _py, direction, raw in self.frames:
            at = cdp + shift
            if direction == "sent":
                back = BackMsg()
                back.ParseFromString(raw)
                if back.WhichOneof("type") == "rerun_script":
                    state = back.rerun_script
                    kind = "ask fragment" if state.fragment_id else "ask page"
                    out.append(Frame(at, kind, state.page_name or state.page_script_hash[:8]))
                continue
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                out.append(Frame(at, "start", msg.new_session.page_script_hash[:8]))
            elif kind == "script_finished":
                out.append(Frame(at, "end", ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)))
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "plotly_chart" and WARM_UP not in element.plotly_chart.id:
                    out.append(Frame(at, "chart"))
                elif element.WhichOneof("type") == "markdown" and ":green-badge[" in element.markdown.body:
                    out.append(Frame(at, "ready"))
        return out

    def explorer(self, clicked: float, charted: float) -> dict[str, float]:
        """The Explorer step cut in parts (seconds): click → the page's run asked, → its run began,
        → first chart element received, first chart element → first chart in the page; runs still
        going at the click; plotly.js fetched during the step."""
        events = self.events()
        asked = next((e.at for e in events if e.kind == "ask page" and e.at >= clicked - 0.05), None)
        if asked is None:
            return {}
        started = next((e.at for e in events if e.kind == "start" and e.at >= asked), None)
        chart = next((e.at for e in events if e.kind == "chart" and e.at >= asked), None)
        before = [e for e in events if e.at < asked]
        busy = sum(1 for e in before if e.kind == "start") - sum(1 for e in before if e.kind == "end")
        shift = self.offset()
        fetched = [
            (end - start, size)
            for name, start, end, size in self.scripts.values()
            if end is not None and start + shift >= clicked - 0.05 and size > 1_000_000
        ]
        out = {"click → run asked": asked - clicked, "busy runs at the ask": float(max(busy, 0))}
        if started is not None:
            out["run asked → run began"] = started - asked
        if chart is not None:
            out["run asked → chart element"] = chart - asked
            out["chart element → chart in page"] = charted - chart
        if fetched:
            out["big script fetched (s)"] = sum(t for t, _ in fetched)
        return out

    def runs(self) -> tuple[int, int, int]:
        """(page runs asked, fragment runs asked, runs the server began) over the whole session."""
        events = self.events()
        return (
            sum(e.kind == "ask page" for e in events),
            sum(e.kind == "ask fragment" for e in events),
            sum(e.kind == "start" for e in events),
        )


def report(results: list[dict], sampler: CpuSampler, wall: float, ready_db: dict[str, float]) -> None:
    """Print the Explorer step's parts, what ran during it, and the run's CPU by kind of process."""
    from bench.load_stats import report as line

    parts: dict[str, list[float]] = {}
    for r in results:
        for name, value in r.get("explorer_parts", {}).items():
            parts.setdefault(name, []).append(value)
    print("Explorer step, traced (devtools frames; times in s):")
    for name, values in parts.items():
        line(f"  {name}", values)
    windows = [(r["opened"], r["explorer_charted"]) for r in results if "explorer_charted" in r]
    if windows:
        summed: dict[str, float] = {}
        for start, end in windows:
            for k, v in sampler.window(start, end).items():
                summed[k] = summed.get(k, 0.0) + v
        span = sum(end - start for start, end in windows)
        print(f"  CPU while a session waited for its first chart (summed over {len(windows)} waits,"
              f" {span:.0f} s): {cpu_line(summed, span)}")  # fmt: skip
    timed = [r for r in results if "explorer_charted" in r and "explorer" in r]
    if timed:
        slow = max(timed, key=lambda r: r["explorer"])
        cut = ", ".join(f"{k} {v:.2f}" for k, v in slow.get("explorer_parts", {}).items())
        began = min(r["opened"] for r in timed)
        print(f"  the slowest, {slow['explorer']:.1f} s, clicked {slow['opened'] - began:.0f} s after the"
              f" first click: {cut}; CPU meanwhile: "
              f"{cpu_line(sampler.window(slow['opened'], slow['explorer_charted']), slow['explorer_charted'] - slow['opened'])}")  # fmt: skip
    running = [_running_elsewhere(r, results) for r in results if "opened" in r and "events" in r]
    if running:
        line("  other sessions' runs going at the click (n)", running)
    main = [r["explorer_main_thread"] for r in results if "explorer_main_thread" in r]
    if main:
        for name in ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration"):
            line(f"  page main thread {name} in the step", [m.get(name, 0.0) for m in main])
    cut = [parts for r in results if (parts := _ready_parts(r, ready_db))]
    lags: dict[str, list[float]] = {}
    for parts in cut:
        for name, value in parts.items():
            lags.setdefault(name, []).append(value)
    print("Ready lag, traced (database ready → Ready on screen):")
    for name, values in lags.items():
        line(f"  {name}", values)
    if slow_lag := max(cut, key=lambda c: sum(c.values()), default=None):
        print("  the slowest: " + ", ".join(f"{k} {v:.2f}" for k, v in slow_lag.items()))
    asked = [r["runs"] for r in results if "runs" in r]
    if asked:
        print(
            "  per session over the whole run: page runs asked p50 "
            f"{statistics.median(a[0] for a in asked):.0f}, fragment runs asked p50 "
            f"{statistics.median(a[1] for a in asked):.0f}, runs begun p50 {statistics.median(a[2] for a in asked):.0f}"
        )
    print(f"CPU over the run ({wall:.0f} s): {cpu_line(sampler.total(), wall)}")


def _running(events: list[Frame], moment: float) -> bool:
    """Whether a run of this session had begun and not ended at `moment`."""
    going = False
    for e in events:
        if e.at > moment:
            break
        going = {"start": True, "end": False}.get(e.kind, going)
    return going


def _running_elsewhere(mine: dict, results: list[dict]) -> float:
    moment = mine["opened"]
    return float(sum(_running(r["events"], moment) for r in results if r is not mine and "events" in r))


def _ready_parts(r: dict, ready_db: dict[str, float]) -> dict[str, float]:
    """The lag cut in parts: database ready → the timer's refresh that saw it, → the Ready element
    received, → Ready in the page."""
    if "events" not in r or "ready_mono" not in r or r["email"] not in ready_db:
        return {}
    db = ready_db[r["email"]] - (r["ready_at"] - r["ready_mono"])  # in this process's monotonic clock
    events = r["events"]
    shown = next((e.at for e in events if e.kind == "ready" and e.at >= db - 0.5), None)
    if shown is None:
        return {}
    asks = [e.at for e in events if e.kind == "ask fragment" and e.at <= shown]
    out = {"Ready element → on screen": r["ready_mono"] - shown}
    if asks:
        out["database ready → the refresh that saw it"] = asks[-1] - db
        out["that refresh → Ready element"] = shown - asks[-1]
    return out
