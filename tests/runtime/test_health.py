"""Runtime tier: the health probes under gunicorn, and outages of PostgreSQL
and Redis."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from harness.client import get
from harness.commands import CLEAN_ENV, free_port
from harness.processes import gunicorn, manage
from harness.services import DEAD_DATABASE, DEAD_REDIS, production_env

pytestmark = pytest.mark.xdist_group("runtime")


def checks(project: Path, **states: str) -> dict[str, str]:
    """What /health/ready/ should list for ``project``: "ok", unless ``states``
    says otherwise. The broker is checked when the project has Celery."""
    names = ["database", "cache"]
    if (project / "config/celery").is_dir():
        names.append("broker")
    return {name: states.get(name, "ok") for name in names}


def test_make_run_serves_the_site_on_sqlite_with_no_services(
    project: Path, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=project, env=CLEAN_ENV, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, _, body = get(f"http://127.0.0.1:{port}/health/live/")
                    break
                except OSError:
                    assert process.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.3)
            assert status == 200 and json.loads(body) == {"status": "ok"}
            status, _, body = get(f"http://127.0.0.1:{port}/health/ready/")
            assert status == 200 and json.loads(body)["status"] == "ok"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
    assert (project / "db.sqlite3").exists()


def test_production_serves_health_under_gunicorn(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    env = production_env(project, postgres_database)
    manage(project, env, "migrate", "--no-input")
    with gunicorn(project, env, tmp_path) as base:
        status, headers, body = get(f"{base}/health/live/")
        assert status == 200
        assert json.loads(body) == {"status": "ok"}
        status, headers, body = get(f"{base}/health/ready/")
        assert status == 200, body
        assert json.loads(body) == {"status": "ok", "checks": checks(project)}
        # Everything but the probes is redirected to HTTPS.
        status, headers, _ = get(f"{base}/accounts/login/")
        assert status == 301
        assert headers["Location"].startswith("https://")


def test_ready_is_503_within_one_second_when_postgres_is_unreachable(
    project: Path, tmp_path: Path
) -> None:
    # One worker, known to be booted once live answers, so that the timing
    # measures the readiness check and not a worker still starting up.
    env = production_env(project, DEAD_DATABASE, WEB_CONCURRENCY="1")
    with gunicorn(project, env, tmp_path) as base:
        started = time.monotonic()
        status, _, body = get(f"{base}/health/ready/")
        elapsed = time.monotonic() - started
        assert status == 503
        assert json.loads(body)["checks"] == checks(project, database="error")
        assert elapsed < 1, f"ready took {elapsed:.2f}s"
        assert get(f"{base}/health/live/")[0] == 200


def test_ready_is_503_within_one_second_when_postgres_hangs(
    project: Path, silent_server: int, tmp_path: Path
) -> None:
    env = production_env(
        project,
        f"postgres://postgres@127.0.0.1:{silent_server}/app",
        WEB_CONCURRENCY="1",
    )
    with gunicorn(project, env, tmp_path) as base:
        for _ in range(2):  # the first check opens the pool, the second reuses it
            started = time.monotonic()
            status, _, body = get(f"{base}/health/ready/")
            elapsed = time.monotonic() - started
            assert status == 503
            assert json.loads(body)["checks"]["database"] == "error"
            assert elapsed < 1, f"ready took {elapsed:.2f}s"


@pytest.mark.parametrize("outage", ["refused", "hung"])
def test_pages_keep_answering_when_redis_is_down(
    project: Path,
    postgres_database: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    outage: str,
) -> None:
    """A Redis that refuses connections, or accepts them and never answers:
    the cache check stops after one socket timeout, the broker check (with
    Celery) after its own."""
    redis = DEAD_REDIS
    if outage == "hung":
        redis = f"redis://127.0.0.1:{request.getfixturevalue('silent_server')}/0"
    # One worker, booted once live answers, as for the database outage.
    env = production_env(
        project, postgres_database, REDIS_URL=redis, WEB_CONCURRENCY="1"
    )
    manage(project, env, "migrate", "--no-input")
    with gunicorn(project, env, tmp_path) as base:
        started = time.monotonic()
        status, _, body = get(f"{base}/health/ready/")
        elapsed = time.monotonic() - started
        assert status == 503
        # With Celery, Redis is also the broker, and is named as such.
        assert json.loads(body)["checks"] == checks(
            project, cache="error", broker="error"
        )
        assert elapsed < 1, f"ready took {elapsed:.2f}s"
        assert get(f"{base}/health/live/")[0] == 200
        # An ordinary page (the sign-in form, with its session and CSRF
        # cookie) still renders; the proxy header marks the request as HTTPS.
        status, _, body = get(
            f"{base}/accounts/login/", headers={"X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert b"csrfmiddlewaretoken" in body
