"""Runtime tier: gunicorn's configuration, access log, keep-alive and database pool."""

from __future__ import annotations

import http.client
import time
from pathlib import Path

import pytest

from harness.client import get
from harness.commands import run
from harness.processes import access_lines, gunicorn, manage
from harness.services import DEAD_DATABASE, postgres_pids, production_env

pytestmark = pytest.mark.xdist_group("runtime")


def test_one_json_access_line_per_request_with_its_request_id(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    # The order of the lines is not compared: each worker thread writes its
    # line after it has sent the response, so a later request's line can come
    # first, and each worker process buffers its own stdout.
    env = production_env(project, postgres_database)
    with gunicorn(project, env, tmp_path) as base:
        ids = [get(f"{base}/health/live/")[1]["X-Request-ID"] for _ in range(5)]
        sent = get(f"{base}/health/live/", headers={"X-Request-ID": "from-nginx-42"})
        ids.append(sent[1]["X-Request-ID"])
        time.sleep(0.5)
    lines = [line for line in access_lines(tmp_path) if line["request_id"] in ids]
    # One line per request, and no id twice.
    assert sorted(line["request_id"] for line in lines) == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert ids[-1] == "from-nginx-42"
    assert all(line["path"] == "/health/live/" for line in lines)
    assert all(line["status"] == 200 for line in lines)


def test_gunicorn_keeps_connections_alive(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    env = production_env(project, postgres_database)
    with gunicorn(project, env, tmp_path) as base:
        connection = http.client.HTTPConnection(base.removeprefix("http://"))
        statuses = []
        for _ in range(3):
            connection.request("GET", "/health/live/")
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            assert response.headers.get("Connection", "").lower() != "close"
        first_socket = connection.sock
        connection.request("GET", "/health/live/")
        connection.getresponse().read()
        assert connection.sock is first_socket  # the same TCP connection
        connection.close()
    assert statuses == [200, 200, 200]


def test_requests_reuse_pooled_connections(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    env = production_env(
        project,
        postgres_database,
        DATABASE_POOL_MIN_SIZE="1",
        DATABASE_POOL_MAX_SIZE="2",
    )
    with gunicorn(project, env, tmp_path) as base:
        for _ in range(10):
            assert get(f"{base}/health/ready/")[0] == 200
        first = postgres_pids(postgres_database)
        for _ in range(30):
            assert get(f"{base}/health/ready/")[0] == 200
        second = postgres_pids(postgres_database)
    # Connections outlive requests (without the pool, CONN_MAX_AGE=0 closes
    # them after each one), keep serving later requests, and stay within
    # DATABASE_POOL_MAX_SIZE for each of the two workers.
    assert first, "no connection stayed open between requests"
    assert first <= second
    assert len(second) <= 2 * 2


def test_a_slow_query_is_cancelled_by_statement_timeout(
    project: Path, postgres_database: str
) -> None:
    env = production_env(
        project, postgres_database, DATABASE_STATEMENT_TIMEOUT_MS="300"
    )
    code = (
        "import time\n"
        "from django.db import OperationalError, connection\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(5)')\n"
        "except OperationalError as error:\n"
        "    print('cancelled', type(error.__cause__).__name__,"
        " round(time.monotonic() - started, 1))\n"
    )
    result = manage(project, env, "shell", "--no-imports", "-c", code)
    verdict, cause, seconds = result.stdout.split()
    assert verdict == "cancelled"
    assert cause == "QueryCanceled"
    assert float(seconds) < 2


def test_gunicorn_config_passes_its_own_check(project: Path) -> None:
    result = run(
        [project / ".venv/bin/gunicorn", "--config", "gunicorn.conf.py",
         "--check-config"],
        cwd=project, env=production_env(project, DEAD_DATABASE, WEB_CONCURRENCY="3"),
    )  # fmt: skip
    assert result.returncode == 0
    bad = run(
        [project / ".venv/bin/gunicorn", "--config", "gunicorn.conf.py",
         "--check-config"],
        cwd=project, env=production_env(project, DEAD_DATABASE, WEB_CONCURRENCY="lots"),
        check=False,
    )  # fmt: skip
    assert bad.returncode != 0
    assert "WEB_CONCURRENCY" in bad.stderr + bad.stdout
