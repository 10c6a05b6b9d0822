"""Runtime tier: gunicorn starts the way the Dockerfile, Compose and systemd
start it, and a bad environment stops it with one error, never a crash loop
of tracebacks."""

from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from harness.commands import CLEAN_ENV, free_port, require, run
from harness.processes import wait_for, wait_until_live
from harness.render import generate, install
from harness.services import production_env


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(tmp_path_factory.mktemp("serve"))
    install(project)
    return project


def entry_points(project: Path) -> dict[str, list[str]]:
    """The web server's command as each way of running it writes it, without
    the interpreter's location and the listen address."""
    dockerfile = (project / "Dockerfile").read_text()
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    production = (project / "docs/setup/production.md").read_text()
    commands = {
        "Dockerfile": json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M)[1]),
        "compose.yaml": compose["services"]["web"]["command"],
        "systemd": shlex.split(re.search(r"^ExecStart=(.*)$", production, re.M)[1]),
    }
    for command in commands.values():
        command[0] = Path(command[0]).name
        if "--bind" in command:
            at = command.index("--bind")
            del command[at : at + 2]
    return commands


def test_every_entry_point_checks_the_environment_before_gunicorn(
    project: Path,
) -> None:
    expected = ["python", "-m", "config.serve", "--config", "gunicorn.conf.py"]
    assert entry_points(project) == dict.fromkeys(entry_points(project), expected)


def start(
    project: Path, env: dict[str, str], log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server as the Dockerfile's command does; its stderr to ``log``."""
    port = free_port()
    command = entry_points(project)["Dockerfile"]
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [project / ".venv/bin/python", *command[1:], "--bind", f"127.0.0.1:{port}"],
            cwd=project,
            env={**CLEAN_ENV, **env},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    return process, f"http://127.0.0.1:{port}"


def test_an_empty_web_concurrency_as_in_the_example_file_means_the_default(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    example = (project / ".env.example").read_text()
    assert "\nWEB_CONCURRENCY=\n" in example
    log = tmp_path / "error.log"
    process, base = start(
        project, production_env(project, postgres_database, WEB_CONCURRENCY=""), log
    )
    try:
        wait_until_live(base, process, log)
        expected = run(
            [project / ".venv/bin/python", "-c",
             "from config.env import web_concurrency; print(web_concurrency())"],
            cwd=project,
            env={"WEB_CONCURRENCY": ""},
        ).stdout.strip()  # fmt: skip

        def workers() -> int:
            children = run(["pgrep", "-P", str(process.pid)], cwd=project, check=False)
            return len(children.stdout.split())

        wait_for(
            f"{expected} workers", lambda: workers() == int(expected), process, log
        )
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ({"WEB_CONCURRENCY": "lots-of-workers"}, ["WEB_CONCURRENCY"]),
        (
            {"WEB_CONCURRENCY": "0", "DJANGO_ALLOWED_HOSTS": ""},
            ["WEB_CONCURRENCY", "DJANGO_ALLOWED_HOSTS"],
        ),
    ],
    ids=["word", "two-bad-variables"],
)
def test_a_bad_environment_stops_the_server_with_one_error(
    project: Path,
    postgres_database: str,
    tmp_path: Path,
    bad: dict[str, str],
    named: list[str],
) -> None:
    log = tmp_path / "error.log"
    process, _ = start(project, production_env(project, postgres_database, **bad), log)
    assert process.wait(timeout=60) == 1
    stderr = log.read_text()
    assert stderr.startswith("Configuration error: "), stderr
    assert "Traceback" not in stderr
    for name in named:
        assert f"  - {name}: " in stderr
    for value in bad.values():
        if len(value) > 3:
            assert value not in stderr


def test_a_restart_behind_a_held_socket_loses_no_request(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    """As under systemd's socket unit (docs/setup/production.md): the socket
    outlives gunicorn, so a deploy's restart makes requests wait, not fail."""
    wrk = require("wrk")
    listener = socket.create_server(("127.0.0.1", 0), backlog=2048)
    port = listener.getsockname()[1]
    held = listener.fileno()
    env = {**CLEAN_ENV, **production_env(project, postgres_database)}
    command = [*entry_points(project)["systemd"][1:], "--access-logfile", "/dev/null"]
    log = tmp_path / "gunicorn.log"

    def launch() -> subprocess.Popen[bytes]:
        """Start gunicorn on the held socket, passed the way systemd passes it."""
        python = project / ".venv/bin/python"
        script = f'exec 3<&{held}; LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"'
        with log.open("ab") as output:
            return subprocess.Popen(
                ["bash", "-c", script, "bash", python, *command],
                cwd=project,
                env=env,
                pass_fds=(held,),
                stdout=output,
                stderr=output,
            )

    with listener:
        server = launch()
        try:
            wait_until_live(f"http://127.0.0.1:{port}", server, log)
            load = subprocess.Popen(
                [wrk, "--threads", "1", "--connections", "50", "--duration", "8s",
                 "--timeout", "10s", "--header", "X-Forwarded-Proto: https",
                 f"http://127.0.0.1:{port}/health/live/"],
                stdout=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            time.sleep(3)
            server.terminate()
            assert server.wait(timeout=60) == 0, log.read_text()
            server = launch()
            report = load.communicate(timeout=60)[0]
        finally:
            server.terminate()
            server.wait(timeout=60)
    served = int(re.search(r"(\d+) requests in", report)[1])
    assert served > 100, report
    assert "Socket errors" not in report and "Non-2xx" not in report, report
