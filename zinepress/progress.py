"""Progress of a build: a live line on a terminal, plain lines in a log, nothing with --quiet."""

import sys
import time
from typing import TextIO

CLEAR_LINE = "\r\033[K"


class Progress:
    """Told when each format starts and ends; shows done/total, elapsed time and what is being built."""

    def __init__(self, mode: str = "plain", stream: TextIO | None = None) -> None:
        self.mode = mode                    # "live", "plain" or "quiet"
        self.stream = stream or sys.stderr
        self.total = self.done = 0
        self.running: list[str] = []
        self.started = time.monotonic()

    @classmethod
    def for_terminal(cls, quiet: bool) -> "Progress":
        if quiet:
            return cls("quiet")
        return cls("live", sys.stderr) if sys.stderr.isatty() else cls("plain", sys.stdout)

    def start(self, total: int) -> None:
        self.total, self.started = total, time.monotonic()

    def task_started(self, edition: str, fmt: str) -> None:
        self.running.append(f"{edition} {fmt}")
        self.show()

    def task_done(self, edition: str, fmt: str, seconds: float | None, error: str | None) -> None:
        name = f"{edition} {fmt}"
        if name in self.running:
            self.running.remove(name)
        self.done += 1
        if self.mode == "plain":
            result = f"failed: {error}" if error else f"{seconds:.1f} s"
            self.write(f"[{self.done}/{self.total}] {name}: {result}\n")
        self.show()

    def show(self) -> None:
        if self.mode != "live" or not self.total:
            return
        building = ", ".join(self.running[:3]) + (" ..." if len(self.running) > 3 else "")
        line = f"[{self.done}/{self.total}] {self.elapsed():.0f} s  building {building}" if building else ""
        self.write(CLEAR_LINE + line[:120])

    def close(self) -> None:
        if self.mode == "live" and self.total:
            self.write(CLEAR_LINE)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
