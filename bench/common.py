"""What a benchmark reports, and how it measures."""

import json
import multiprocessing
import os
import sqlite3
import tempfile
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


def _resident() -> tuple[int, int]:
    """The process's resident set and its peak since the last reset, in KiB."""
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def resident_growth[T](work: Callable[[], T]) -> tuple[float, float, T, float]:
    """Run ``work`` in this process: its seconds, the growth of the process's resident set in
    MiB (the kernel's peak, reset first: it counts what compiled readers hold outside Python,
    which tracemalloc does not see), what it returns, and its CPU seconds (a database server's
    not counted)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the peak resident size starts again from here
    before, _ = _resident()
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    _, peak = _resident()
    return seconds, (peak - before) / 1024, result, cpu


def _started_child(send, database: str, work: Callable[[bytes], Any], path: str) -> None:
    # Django is set up (the benchmark's main module, run again as the child's) and ``work``'s
    # module imported (to unpickle it); the test database the benchmark made is used, and
    # connected to before the measure starts, as in the parent.
    try:
        from django.conf import settings
        from django.db import connection
        from django.test.utils import setup_test_environment

        settings.DATABASES[connection.alias]["NAME"] = database
        connection.settings_dict["NAME"] = database
        setup_test_environment()
        connection.ensure_connection()
        with open(path, "rb") as file:
            data = file.read()
        message = ["ok", resident_growth(lambda: work(data))]
    except BaseException:  # noqa: BLE001 - the parent raises it
        message = ["error", traceback.format_exc()]
    send.send(message)
    send.close()


def started(work: Callable[[bytes], Any], data: bytes) -> tuple[float, float, Any, float]:
    """``resident_growth`` of ``work(data)`` in a freshly started Python process (spawned, not
    forked: it holds nothing of this process's history, whose freed memory a forked child would
    reuse), on the same database; ``work`` is a module-level function, ``data`` goes through a
    temporary file and is read before the measure starts. SQLite's test database, held in this
    process's memory, is copied to a file for the process (what it writes stays in the copy)."""
    from django.db import connection

    context = multiprocessing.get_context("spawn")
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as folder,
        open(os.path.join(folder, "data.bin"), "wb") as file,
    ):
        file.write(data)
        file.flush()
        database = connection.settings_dict["NAME"]
        if connection.vendor == "sqlite":
            database = os.path.join(folder, "database.sqlite3")
            connection.ensure_connection()
            with sqlite3.connect(database) as copy:
                connection.connection.backup(copy)
            copy.close()
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_started_child, args=(send, database, work, file.name))
        process.start()
        send.close()
        try:
            message = receive.recv()
        except EOFError:
            message = ["error", "the process ended without an answer"]
        process.join()
    if message[0] != "ok":
        raise RuntimeError(f"the measured work failed in its process:\n{message[1]}")
    return tuple(message[1])
