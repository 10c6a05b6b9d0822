"""A generated project's processes: manage.py, gunicorn and other servers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harness.client import get
from harness.commands import CLEAN_ENV, free_port, run


def manage(
    project: Path, env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    python = project / ".venv/bin/python"
    return run([python, "manage.py", *args], cwd=project, env=env, check=check)


@contextmanager
def started(
    command: list[str | Path], project: Path, env: dict[str, str], out: Path, err: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server process of ``project``, its stdout and stderr in files.

    On exit, stop it with SIGTERM, as a supervisor would (SIGKILL after 35 s).
    """
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=project, env={**CLEAN_ENV, **env}, stdout=stdout, stderr=stderr,
        )  # fmt: skip
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def gunicorn(project: Path, env: dict[str, str], logs: Path) -> Iterator[str]:
    """Start gunicorn as the Dockerfile does (config.serve, with the generated
    gunicorn.conf.py); yield its base URL.

    Its stdout (the access log) and stderr go to files in ``logs``.
    """
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command: list[str | Path] = [
        project / ".venv/bin/python", "-m", "config.serve",
        "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
    ]  # fmt: skip
    with started(
        command, project, env, logs / "access.log", logs / "error.log"
    ) as process:
        base = f"http://127.0.0.1:{port}"
        wait_until_live(base, process, logs / "error.log")
        yield base


def wait_until_live(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text()}", pytrace=False)
        try:
            if get(f"{base}/health/live/", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 30 s:\n{log.read_text()}")


def wait_for(
    what: str, found: Callable[[], bool], process: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + 30
    while not found():
        if process.poll() is not None:
            pytest.fail(f"exited before {what}:\n{log.read_text()}", pytrace=False)
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within 30 s:\n{log.read_text()}", pytrace=False)
        time.sleep(0.3)


def access_lines(logs: Path) -> list[dict[str, object]]:
    text = (logs / "access.log").read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@contextmanager
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections and never answers: a hung server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield int(listener.getsockname()[1])


def tcp_inode(local_port: int, remote_port: int) -> int | None:
    """The inode of the loopback TCP socket from local_port to remote_port."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = (int(a.rsplit(":", 1)[1], 16) for a in fields[1:3])
        if (local, remote) == (local_port, remote_port):
            return int(fields[9])
    return None


def serving_process(client: socket.socket) -> int:
    """The pid of the process that holds the server's end of a connection: for
    gunicorn, the worker that accepted it."""
    inode = tcp_inode(client.getpeername()[1], client.getsockname()[1])
    assert inode, "the server's end of the connection is not in /proc/net/tcp"
    target = f"socket:[{inode}]"
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                descriptors = list((entry / "fd").iterdir())
                if any(os.readlink(fd) == target for fd in descriptors):
                    return int(entry.name)
            except OSError:  # the process ended, or is not ours to read
                continue
    pytest.fail(f"no process holds {target}")


@contextmanager
def black_holed_port() -> Iterator[int]:
    """A loopback port whose SYNs go unanswered, as behind a firewall that drops
    them: a listener with a backlog of 0 that never accepts, its one queued
    connection taken by a filler, so the kernel drops every later SYN."""
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = int(listener.getsockname()[1])
        filler.connect(("127.0.0.1", port))
        with socket.socket() as probe:
            probe.settimeout(0.5)
            try:
                probe.connect(("127.0.0.1", port))
            except TimeoutError:
                pass
            else:
                pytest.fail("the full backlog still took a connection")
        yield port
