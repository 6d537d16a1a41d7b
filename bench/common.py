"""What a benchmark reports, and how it measures."""

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass


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
