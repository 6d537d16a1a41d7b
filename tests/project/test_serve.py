"""`make serve` (the end of `make run`) stops the web server and the task worker together.

It is started as a developer starts it, `make serve`, on a free port and a temporary SQLite
database, without the demo; then it gets one signal: SIGTERM to make's PID (`kill PID` of a
backgrounded `make run`), or SIGINT to its process group (Ctrl-C in a terminal). Every process
it started must be gone afterwards: the runserver autoreloader's child and the worker included.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_until(condition, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    database = tmp_path_factory.mktemp("serve") / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "SECRET_KEY": "test-only-secret-key-for-make-serve",
        "PYTHONPATH": str(ROOT),
    }
    # The worker polls its queue table; /healthz, which the test waits for, needs no table.
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


@pytest.mark.parametrize("how", ["SIGTERM to make's PID", "SIGINT to its process group"])
def test_one_signal_stops_the_server_and_the_worker(environment, how):
    port = _free_port()
    make = subprocess.Popen(  # noqa: S603
        # -o .env: the test's environment holds the settings; no .env is written in the checkout.
        ["make", "--no-print-directory", "-o", ".env", "serve", f"VENV={VENV}", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    started: set[int] = set()
    try:
        assert _wait_until(lambda: _answers(port), seconds=90), "make serve never answered"
        # Both sides are up: runserver (autoreloader and its child) and the worker.
        assert _wait_until(
            lambda: sum("db_worker" in _cmdline(pid) for pid in _descendants(make.pid)) >= 1,
            seconds=60,
        )
        started = _descendants(make.pid)
        commands = [_cmdline(pid) for pid in started]
        assert sum("runserver" in command for command in commands) >= 2
        if how.startswith("SIGTERM"):
            os.kill(make.pid, signal.SIGTERM)
        else:
            os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=60)
        assert _wait_until(lambda: not any(_alive(pid) for pid in started), seconds=30), [
            _cmdline(pid) for pid in started if _alive(pid)
        ]
        assert not _answers(port)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
        for pid in started:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
