"""Open a built report in headless Chromium and check that every chart rendered.

Checks the page at a given window width (``--width``; the test uses 1400 and 400 px): the page
must not overflow horizontally (wide charts and tables scroll inside their own box).
Talks the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (file descriptors 3 and 4,
NUL-separated JSON), so it needs no network socket and no extra Python package. Collects
console errors and uncaught exceptions, waits for ``body[data-charts-rendered]`` (set by
index.html once every vega-embed promise settled), reads each chart's ``data-rendered`` state
and saves a full-page screenshot.

Usage: ``python -m reports.browser output/latest/index.html --width 400 --screenshot shot.png``
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import logging
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--remote-debugging-pipe",
    "--hide-scrollbars",
    "--window-size=1200,900",
)
STATE_JS = """JSON.stringify({
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  width: document.documentElement.clientWidth,
  done: document.body ? document.body.getAttribute('data-charts-rendered') : null,
  expected: Object.keys(JSON.parse(document.getElementById('census-specs').textContent)),
  charts: Array.from(document.querySelectorAll('[data-chart-id]')).map(el => ({
    id: el.getAttribute('data-chart-id'), state: el.getAttribute('data-rendered'),
    marks: el.querySelectorAll('svg .mark-line, svg .mark-symbol, svg .mark-rect, svg path').length
  }))
})"""


class BrowserError(RuntimeError):
    """Chromium could not be started or stopped answering."""


def find_chromium() -> str | None:
    """Debian's ``chromium`` (or ``$CHROMIUM``), None when absent."""
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser"):
        if name and (path := shutil.which(name)):
            return path
    return None


@dataclass
class BrowserResult:
    expected: list[str]
    charts: dict[str, str]  # id -> data-rendered state
    marks: dict[str, int]
    console_errors: list[str] = field(default_factory=list)
    finished: bool = False
    screenshot: Path | None = None
    width: int = 0  # the layout viewport's width (the window's, on a phone), CSS px
    overflow: int = 0  # how far the page is wider than the window, CSS px

    @property
    def problems(self) -> list[str]:
        found = [f"console: {e}" for e in self.console_errors]
        if not self.finished:
            found.append("body[data-charts-rendered] never set (charts did not finish)")
        if self.overflow > 0:
            found.append(f"page overflows a {self.width} px window by {self.overflow} px")
        for chart in self.expected:
            state = self.charts.get(chart)
            if state != "true":
                found.append(f"chart {chart}: data-rendered={state!r}")
            elif not self.marks.get(chart):
                found.append(f"chart {chart}: rendered but drew no marks")
        return found


class _Pipe:
    """CDP over two pipes; ``call`` sends a command and returns its result."""

    def __init__(self, process: subprocess.Popen, write_fd: int, read_fd: int) -> None:
        self.process, self.write_fd, self.read_fd = process, write_fd, read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None:
                msg = "chromium stopped answering on the DevTools pipe"
                raise BrowserError(msg)
            ready, _, _ = select.select([self.read_fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    msg = "chromium closed the DevTools pipe"
                    raise BrowserError(msg)
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    msg = f"{method}: {reply['error']}"
                    raise BrowserError(msg)
                return reply.get("result", {})
            self.events.append(reply)


def _start(chromium: str, profile: Path) -> _Pipe:
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()
    # Move the child's ends to free fds >= 10 (close-on-exec) so that dup2 onto 3 and 4 in
    # the child cannot clobber one another; only the dup2'd 3 and 4 survive the exec.
    child_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
    child_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
    for fd in (to_browser_r, from_browser_w):
        os.close(fd)

    def wire_fds() -> None:  # runs in the child: fd 3 = commands in, fd 4 = replies out
        os.dup2(child_r, 3)
        os.dup2(child_w, 4)

    process = subprocess.Popen(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=False,
        preexec_fn=wire_fds,
    )  # noqa: PLW1509 - fds must be set before exec
    os.close(child_r)
    os.close(child_w)
    return _Pipe(process, to_browser_w, from_browser_r)


def _errors(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for event in events:
        params = event.get("params", {})
        if event.get("method") == "Runtime.consoleAPICalled" and params.get("type") in (
            "error",
            "assert",
        ):
            found.append(
                " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params.get("args", [])
                )
            )
        elif event.get("method") == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append(
                details.get("exception", {}).get("description") or details.get("text", "exception")
            )
        elif (
            event.get("method") == "Log.entryAdded"
            and params.get("entry", {}).get("level") == "error"
        ):
            found.append(params["entry"].get("text", ""))
    return found


def _wait_for_charts(pipe: _Pipe, session: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        result = pipe.call(
            "Runtime.evaluate", {"expression": STATE_JS, "returnByValue": True}, session
        )
        value = result.get("result", {}).get("value")
        if value:
            state = json.loads(value)
            if state.get("done") is not None:
                return state
        time.sleep(0.2)
    return state


def check_report(
    index_html: Path,
    screenshot: Path | None = None,
    chromium: str | None = None,
    timeout: float = 60.0,
    width: int = 1200,
) -> BrowserResult:
    """Load ``index_html`` in headless Chromium in a window ``width`` CSS px wide; see
    :class:`BrowserResult` for what is found."""
    chromium = chromium or find_chromium()
    if not chromium:
        msg = "no chromium executable found (install Debian's chromium or set $CHROMIUM)"
        raise BrowserError(msg)
    profile = Path(tempfile.mkdtemp(prefix="census-chromium-"))
    pipe = _start(chromium, profile)
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Page"):
            pipe.call(f"{domain}.enable", {}, session)
        metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}
        pipe.call("Emulation.setDeviceMetricsOverride", metrics, session)
        pipe.call("Page.navigate", {"url": index_html.resolve().as_uri()}, session)
        state = _wait_for_charts(pipe, session, timeout)
        result = BrowserResult(
            expected=state.get("expected", []),
            charts={c["id"]: c["state"] for c in state.get("charts", [])},
            marks={c["id"]: c["marks"] for c in state.get("charts", [])},
            finished=state.get("done") is not None,
            width=int(state.get("width") or 0),
            overflow=int(state.get("overflow") or 0),
        )
        if screenshot is not None:
            shot = pipe.call(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session
            )
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            result.screenshot = screenshot
        result.console_errors = _errors(pipe.events)
        return result
    finally:
        pipe.process.kill()
        pipe.process.wait(timeout=10)
        os.close(pipe.write_fd)
        os.close(pipe.read_fd)
        shutil.rmtree(profile, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path, help="the report's index.html")
    parser.add_argument("--screenshot", type=Path, help="save a full-page PNG here")
    parser.add_argument("--width", type=int, default=1200, help="window width, CSS px")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = check_report(args.index, args.screenshot, width=args.width)
    for problem in result.problems:
        log.error("%s", problem)
    log.info(
        "%d charts expected, %d rendered",
        len(result.expected),
        sum(1 for s in result.charts.values() if s == "true"),
    )
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
