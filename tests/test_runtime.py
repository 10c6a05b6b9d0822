"""Runtime tier: generated projects under gunicorn against real PostgreSQL and Redis."""

from __future__ import annotations

import json
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CLEAN_ENV, free_port, generate, install, run

pytestmark = [pytest.mark.runtime, pytest.mark.xdist_group("runtime")]

REDIS_URL = "redis://127.0.0.1:6379/{db}"
DEAD_DATABASE = "postgres://postgres@127.0.0.1:9/unreachable"
DEAD_REDIS = "redis://127.0.0.1:9/0"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(tmp_path_factory.mktemp("runtime"))
    install(project)
    return project


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL.format(db=3),
        "WEB_CONCURRENCY": "2",
        **extra,
    }


def manage(project: Path, env: dict[str, str], *args: str, check: bool = True):
    return run(
        [project / ".venv/bin/python", "manage.py", *args],
        cwd=project,
        env=env,
        check=check,
    )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def get(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects: (status, headers, body)."""
    try:
        with OPENER.open(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def gunicorn(project: Path, env: dict[str, str]) -> Iterator[str]:
    """Start gunicorn with the generated gunicorn.conf.py; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [project / ".venv/bin/gunicorn", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}"],
        cwd=project,
        env={**CLEAN_ENV, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"gunicorn exited:\n{output}")
            try:
                if get(f"{base}/health/live/", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer within 30 seconds")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            process.kill()


def test_production_serves_health_under_gunicorn(
    project: Path, postgres_database: str
) -> None:
    env = production_env(postgres_database)
    manage(project, env, "migrate", "--no-input")
    with gunicorn(project, env) as base:
        status, headers, body = get(f"{base}/health/live/")
        assert status == 200
        assert json.loads(body) == {"status": "ok"}
        status, headers, body = get(f"{base}/health/ready/")
        assert status == 200, body
        assert json.loads(body) == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok"},
        }
        # Everything but the probes is redirected to HTTPS.
        status, headers, _ = get(f"{base}/admin/login/")
        assert status == 301
        assert headers["Location"].startswith("https://")


def test_ready_is_503_within_two_seconds_when_postgres_is_unreachable(
    project: Path,
) -> None:
    env = production_env(DEAD_DATABASE)
    with gunicorn(project, env) as base:
        started = time.monotonic()
        status, _, body = get(f"{base}/health/ready/")
        elapsed = time.monotonic() - started
        assert status == 503
        assert json.loads(body)["checks"] == {"database": "error", "cache": "ok"}
        assert elapsed < 2, f"ready took {elapsed:.2f}s"
        assert get(f"{base}/health/live/")[0] == 200


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never answers: a hung database."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield int(listener.getsockname()[1])


def test_ready_is_503_within_two_seconds_when_postgres_hangs(
    project: Path, silent_server: int
) -> None:
    env = production_env(f"postgres://postgres@127.0.0.1:{silent_server}/app")
    with gunicorn(project, env) as base:
        for _ in range(2):  # the first check opens the pool, the second reuses it
            started = time.monotonic()
            status, _, body = get(f"{base}/health/ready/")
            elapsed = time.monotonic() - started
            assert status == 503
            assert json.loads(body)["checks"]["database"] == "error"
            assert elapsed < 2, f"ready took {elapsed:.2f}s"


def test_ready_names_the_cache_when_redis_is_down(
    project: Path, postgres_database: str
) -> None:
    env = production_env(postgres_database, REDIS_URL=DEAD_REDIS)
    manage(project, env, "migrate", "--no-input")
    with gunicorn(project, env) as base:
        status, _, body = get(f"{base}/health/ready/")
        assert status == 503
        assert json.loads(body)["checks"] == {"database": "ok", "cache": "error"}
        assert get(f"{base}/health/live/")[0] == 200


def test_deploy_check_passes_with_a_throwaway_environment(
    project: Path, postgres_database: str
) -> None:
    env = production_env(postgres_database)
    result = manage(project, env, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in result.stdout


def test_missing_production_variables_fail_with_one_error(project: Path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "",
        "DJANGO_ALLOWED_HOSTS": "",
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }
    result = manage(project, env, "check", check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("Configuration error") == 1
    for name in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
    ):
        assert f"  - {name}: " in result.stderr


def test_invalid_production_values_are_never_echoed(project: Path) -> None:
    env = production_env(
        "mysql://admin:Sup3rSecretPassw0rd@db.internal/app",
        DJANGO_SECRET_KEY="tooshortbutsecret",
        REDIS_URL="http://cache.internal:Sup3rSecretPassw0rd",
    )
    result = manage(project, env, "check", check=False)
    assert result.returncode == 1
    for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        assert f"  - {name}: " in result.stderr
    assert "Sup3rSecret" not in result.stderr
    assert "tooshortbutsecret" not in result.stderr
