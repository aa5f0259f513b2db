"""Progress for long work: a bar on a terminal, periodic log lines elsewhere."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

log = logging.getLogger("census.progress")
T = TypeVar("T")


class Progress:
    """Counts steps of a named task and reports at most every ``interval`` seconds."""

    def __init__(self, task: str, total: int | None = None, interval: float = 1.0) -> None:
        self.task = task
        self.total = total
        self.done = 0
        self.interval = interval
        self.started = time.monotonic()
        self._last = 0.0
        self._tty = sys.stderr.isatty()

    def advance(self, steps: int = 1, note: str = "") -> None:
        self.done += steps
        now = time.monotonic()
        finished = self.total is not None and self.done >= self.total
        if now - self._last >= self.interval or finished:
            self._last = now
            self._report(note)

    def _report(self, note: str) -> None:
        elapsed = time.monotonic() - self.started
        of = f"/{self.total}" if self.total else ""
        line = f"{self.task}: {self.done}{of} ({elapsed:.1f} s) {note}".rstrip()
        if self._tty:
            width = 24
            filled = int(width * self.done / self.total) if self.total else 0
            bar = "#" * filled + "-" * (width - filled)
            end = "\n" if self.total and self.done >= self.total else ""
            sys.stderr.write(f"\r[{bar}] {line}\x1b[K{end}")
            sys.stderr.flush()
        else:
            log.info(line)


def track(items: Iterable[T], task: str, total: int | None = None) -> Iterator[T]:
    """Iterate while reporting progress."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    progress = Progress(task, total)
    for item in items:
        yield item
        progress.advance()
