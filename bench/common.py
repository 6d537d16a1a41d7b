"""What a benchmark reports, and how it measures."""

import json
import os
import time
import traceback
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Figure:
    measure: str
    value: float
    unit: str
    target: float | None = None  # the most the value may be
    note: str = ""

    @property
    def over(self) -> bool:
        return self.target is not None and self.value > self.target

    def _fmt(self, value: float) -> str:
        return f"{value:,.0f} {self.unit}" if value >= 100 else f"{value:,.3g} {self.unit}"

    def line(self) -> str:
        target = f" (target ≤ {self._fmt(self.target)})" if self.target is not None else ""
        flag = "  OVER TARGET" if self.over else ""
        return f"{self.measure}: {self._fmt(self.value)}{target}{flag}"

    def row(self, name: str) -> str:
        target = f"≤ {self._fmt(self.target)}" if self.target is not None else ""
        figure = self._fmt(self.value) + (" **over**" if self.over else "")
        note = f" ({self.note})" if self.note else ""
        return f"| {name} | {self.measure}{note} | {figure} | {target} |"


def timed[T](work: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """The best wall-clock time of ``repeat`` runs, in seconds, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory[T](work: Callable[[], T]) -> tuple[float, T]:
    """Peak Python memory allocated while ``work`` runs, in MiB."""
    tracemalloc.start()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20, result


def forked(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a forked process and return what it returns (JSON-serialisable), so that
    the memory and time it measures there are that process's alone. An error in the child is
    raised here with its traceback; the child leaves without clean-up."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            message = json.dumps(["ok", work()]).encode()
        except BaseException:  # noqa: BLE001 - the parent raises it
            message = json.dumps(["error", traceback.format_exc()]).encode()
        with os.fdopen(write, "wb") as pipe:
            pipe.write(message)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        message = json.loads(pipe.read())
    os.waitpid(pid, 0)
    if message[0] != "ok":
        raise RuntimeError(f"the measured work failed in its process:\n{message[1]}")
    return message[1]
