"""Runtime tier: generated projects under gunicorn and nginx, against the local
PostgreSQL and Redis."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import secrets
import signal
import socket
import socketserver
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import (
    ALL_OFF,
    ALL_ON,
    CLEAN_ENV,
    free_port,
    generate,
    install,
    production_env,
    require,
    run,
)

pytestmark = [pytest.mark.runtime, pytest.mark.xdist_group("runtime")]

DOMAIN = "example.com"
DEAD_DATABASE = "postgres://postgres@127.0.0.1:9/unreachable"
DEAD_REDIS = "redis://127.0.0.1:9/0"
# The Celery tests' broker: a database of its own, emptied before each test.
CELERY_REDIS = "redis://127.0.0.1:6379/5"
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def prepared(tmp_path_factory: pytest.TempPathFactory, answers: dict[str, str]) -> Path:
    """A rendered, installed project with its static files collected."""
    project = generate(tmp_path_factory.mktemp("runtime"), answers)
    install(project)
    # Production pages need the hashed static files, as in any deployment.
    manage(project, production_env(DEAD_DATABASE), "collectstatic", "--no-input")
    return project


# The two representative combinations the runtime tier runs on (issue 6): every
# option on, and every option off. Tests of one option use the one that has it.
@pytest.fixture(scope="module")
def all_on(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepared(tmp_path_factory, ALL_ON)


@pytest.fixture(scope="module")
def all_off(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepared(tmp_path_factory, ALL_OFF)


@pytest.fixture(scope="module", params=["all_on", "all_off"])
def project(request: pytest.FixtureRequest) -> Path:
    """Each test that takes it runs on both combinations."""
    return Path(request.getfixturevalue(request.param))


def checks(project: Path, **states: str) -> dict[str, str]:
    """What /health/ready/ should list for ``project``: "ok", unless ``states``
    says otherwise. The broker is checked when the project has Celery."""
    names = ["database", "cache"]
    if (project / "config/celery").is_dir():
        names.append("broker")
    return {name: states.get(name, "ok") for name in names}


def manage(
    project: Path, env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    python = project / ".venv/bin/python"
    return run([python, "manage.py", *args], cwd=project, env=env, check=check)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def get(
    url: str, timeout: float = 10, headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """GET without following redirects: (status, headers, body)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


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
    """Start gunicorn with the generated gunicorn.conf.py; yield its base URL.

    Its stdout (the access log) and stderr go to files in ``logs``.
    """
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command: list[str | Path] = [
        project / ".venv/bin/gunicorn", "--config", "gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}",
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


def access_lines(logs: Path) -> list[dict[str, object]]:
    text = (logs / "access.log").read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


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
    env = production_env(postgres_database)
    manage(project, env, "migrate", "--no-input")
    with gunicorn(project, env, tmp_path) as base:
        status, headers, body = get(f"{base}/health/live/")
        assert status == 200
        assert json.loads(body) == {"status": "ok"}
        status, headers, body = get(f"{base}/health/ready/")
        assert status == 200, body
        assert json.loads(body) == {"status": "ok", "checks": checks(project)}
        # Everything but the probes is redirected to HTTPS.
        status, headers, _ = get(f"{base}/admin/login/")
        assert status == 301
        assert headers["Location"].startswith("https://")


def test_one_json_access_line_per_request_with_its_request_id(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    # The order of the lines is not compared: each worker thread writes its
    # line after it has sent the response, so a later request's line can come
    # first, and each worker process buffers its own stdout.
    env = production_env(postgres_database)
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


def anonymous_api_limit(project: Path) -> int:
    """The anonymous requests a minute that the generated settings allow."""
    base = (project / "config/settings/base.py").read_text()
    match = re.search(r'"anon": "(\d+)/minute"', base)
    assert match, "the anonymous API rate is not set in config/settings/base.py"
    return int(match.group(1))


def test_the_api_throttles_each_client_address_behind_the_proxy(
    all_on: Path, postgres_database: str, tmp_path: Path
) -> None:
    """Counts live in Redis, shared by both workers, one bucket per X-Real-IP."""
    project = all_on
    env = production_env(postgres_database)
    limit = anonymous_api_limit(project)
    # Fresh addresses each run: earlier runs' counts may still be in Redis.
    subnet = f"198.18.{secrets.randbelow(256)}"
    first, second = f"{subnet}.1", f"{subnet}.2"
    https = {"X-Forwarded-Proto": "https"}
    with gunicorn(project, env, tmp_path) as base:
        status, headers, body = get(f"{base}/api/v1/me/", headers=https)
        assert status == 403
        assert headers["Content-Type"] == "application/json"
        assert "credentials were not provided" in json.loads(body)["detail"]
        schema = f"{base}/api/v1/schema/?format=json"
        for _ in range(limit):
            status, _, body = get(schema, headers={**https, "X-Real-IP": first})
            assert status == 200, body
        status, headers, _ = get(schema, headers={**https, "X-Real-IP": first})
        assert status == 429
        assert 0 < int(headers["Retry-After"]) <= 60
        assert get(schema, headers={**https, "X-Real-IP": second})[0] == 200


def postgres_pids(database_url: str) -> set[int]:
    name = database_url.rsplit("/", 1)[1]
    query = (
        "SELECT pid FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )
    output = run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc", query],
        cwd=Path.cwd(),
    ).stdout
    return {int(pid) for pid in output.split()}


def test_requests_reuse_pooled_connections(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    env = production_env(
        postgres_database, DATABASE_POOL_MIN_SIZE="1", DATABASE_POOL_MAX_SIZE="2"
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
    env = production_env(postgres_database, DATABASE_STATEMENT_TIMEOUT_MS="300")
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


def test_ready_is_503_within_two_seconds_when_postgres_is_unreachable(
    project: Path, tmp_path: Path
) -> None:
    # One worker, known to be booted once live answers, so that the timing
    # measures the readiness check and not a worker still starting up.
    env = production_env(DEAD_DATABASE, WEB_CONCURRENCY="1")
    with gunicorn(project, env, tmp_path) as base:
        started = time.monotonic()
        status, _, body = get(f"{base}/health/ready/")
        elapsed = time.monotonic() - started
        assert status == 503
        assert json.loads(body)["checks"] == checks(project, database="error")
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
    project: Path, silent_server: int, tmp_path: Path
) -> None:
    env = production_env(
        f"postgres://postgres@127.0.0.1:{silent_server}/app", WEB_CONCURRENCY="1"
    )
    with gunicorn(project, env, tmp_path) as base:
        for _ in range(2):  # the first check opens the pool, the second reuses it
            started = time.monotonic()
            status, _, body = get(f"{base}/health/ready/")
            elapsed = time.monotonic() - started
            assert status == 503
            assert json.loads(body)["checks"]["database"] == "error"
            assert elapsed < 2, f"ready took {elapsed:.2f}s"


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
    env = production_env(postgres_database, REDIS_URL=redis, WEB_CONCURRENCY="1")
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
        assert elapsed < 2, f"ready took {elapsed:.2f}s"
        assert get(f"{base}/health/live/")[0] == 200
        # An ordinary page (the admin login form, with its session and CSRF
        # cookie) still renders; the proxy header marks the request as HTTPS.
        status, _, body = get(
            f"{base}/admin/login/", headers={"X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert b"csrfmiddlewaretoken" in body


# Celery: a real worker and beat on the local Redis -----------------------------


@pytest.fixture
def celery_env(all_on: Path, postgres_database: str) -> dict[str, str]:
    """Production settings on a migrated database, with an empty broker."""
    run([require("redis-cli"), "-u", CELERY_REDIS, "flushdb"], cwd=all_on)
    env = production_env(postgres_database, REDIS_URL=CELERY_REDIS)
    manage(all_on, env, "migrate", "--no-input")
    return env


def celery(project: Path, *args: str) -> list[str | Path]:
    return [project / ".venv/bin/celery", "--app", "config.celery", *args]


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


def session_keys(database_url: str) -> set[str]:
    query = "SELECT session_key FROM django_session"
    return set(
        run(["psql", database_url, "-qAtc", query], cwd=Path.cwd()).stdout.split()
    )


CREATE_SESSIONS = (
    "from datetime import timedelta\n"
    "from django.contrib.sessions.backends.cached_db import SessionStore\n"
    "expired, current = SessionStore(), SessionStore()\n"
    "expired.set_expiry(timedelta(seconds=-60))\n"
    "expired.create()\n"
    "current.create()\n"
    "print(expired.session_key, current.session_key)\n"
)
QUEUE_TASK = (
    "from my_project.core.tasks import clear_expired_sessions\n"
    "clear_expired_sessions.delay()\n"
)


def test_a_celery_worker_runs_the_queued_session_task(
    all_on: Path, celery_env: dict[str, str], postgres_database: str, tmp_path: Path
) -> None:
    project = all_on
    out, log = tmp_path / "worker.out", tmp_path / "worker.log"
    created = manage(
        project, celery_env, "shell", "--no-imports", "-c", CREATE_SESSIONS
    )
    expired, current = created.stdout.split()
    assert session_keys(postgres_database) == {expired, current}
    # Queued while no worker runs: the task waits in Redis.
    manage(project, celery_env, "shell", "--no-imports", "-c", QUEUE_TASK)
    command = celery(
        project, "worker", "--loglevel", "INFO", "--concurrency", "1",
        "--hostname", f"keel-{tmp_path.name}@%h",
    )  # fmt: skip
    with started(command, project, celery_env, out, log) as worker:
        wait_for(
            "deleted session",
            lambda: expired not in session_keys(postgres_database),
            worker,
            log,
        )
    assert session_keys(postgres_database) == {current}
    assert worker.returncode == 0, log.read_text()  # a warm shutdown
    # The worker logs through the production LOGGING, in JSON lines (the
    # others are Python warnings, such as the one about running as root).
    text = log.read_text().splitlines()
    lines = [json.loads(line) for line in text if line.startswith("{")]
    done = [line for line in lines if "succeeded" in str(line["message"])]
    assert done and "core.clear_expired_sessions" in str(done[0]["message"])
    # Task arguments and results may be personal data: the log hides them.
    assert str(done[0]["message"]).endswith(": [hidden]"), done[0]
    assert done[0]["data"]["return_value"] == "[hidden]", done[0]


def test_celery_beat_loads_the_schedule_and_stops_cleanly(
    all_on: Path, celery_env: dict[str, str], tmp_path: Path
) -> None:
    project = all_on
    out, log = tmp_path / "beat.out", tmp_path / "beat.log"
    command = celery(
        project, "beat", "--loglevel", "DEBUG",
        "--schedule", str(tmp_path / "beat-schedule"),
    )  # fmt: skip
    with started(command, project, celery_env, out, log) as beat:
        wait_for(
            "schedule",
            lambda: "core.clear_expired_sessions" in log.read_text(),
            beat,
            log,
        )
    assert beat.returncode == 0, log.read_text()
    assert "clear-expired-sessions" in log.read_text()


def test_deploy_check_passes_with_a_throwaway_environment(
    project: Path, postgres_database: str
) -> None:
    env = production_env(postgres_database)
    result = manage(project, env, "check", "--deploy", "--fail-level", "WARNING")
    # The one silenced check is security.W021: HSTS preload is opt-in.
    assert "System check identified no issues (1 silenced)" in result.stdout


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


def test_gunicorn_config_passes_its_own_check(project: Path) -> None:
    result = run(
        [project / ".venv/bin/gunicorn", "--config", "gunicorn.conf.py",
         "--check-config"],
        cwd=project, env=production_env(DEAD_DATABASE, WEB_CONCURRENCY="3"),
    )  # fmt: skip
    assert result.returncode == 0
    bad = run(
        [project / ".venv/bin/gunicorn", "--config", "gunicorn.conf.py",
         "--check-config"],
        cwd=project, env=production_env(DEAD_DATABASE, WEB_CONCURRENCY="lots"),
        check=False,
    )  # fmt: skip
    assert bad.returncode != 0
    assert "WEB_CONCURRENCY" in bad.stderr + bad.stdout


# nginx in front, with TLS -----------------------------------------------------


def self_signed_certificate(
    directory: Path, alt_name: str = f"DNS:{DOMAIN}"
) -> tuple[Path, Path]:
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", key, "-out", cert, "-subj", f"/CN={DOMAIN}",
         "-addext", f"subjectAltName={alt_name}"],
        cwd=directory,
    )  # fmt: skip
    return cert, key


def nginx_config(
    project: Path, work: Path, upstream: str, http_port: int, https_port: int
) -> Path:
    """The generated site, pointed at test ports and paths, inside a minimal nginx.conf.

    Each value the test changes must occur exactly once in the generated file,
    so that a change in its shape fails here instead of being silently skipped.
    """
    cert, key = self_signed_certificate(work)
    site = (project / "deploy/nginx/my_project.conf").read_text()
    https = f"127.0.0.1:{https_port} ssl"
    replacements = {  # text: (replacement, occurrences)
        "listen 80;": (f"listen 127.0.0.1:{http_port};", 1),
        "listen 80 default_server;": (
            f"listen 127.0.0.1:{http_port} default_server;",
            1,
        ),
        "listen 443 ssl http2;": (f"listen {https} http2;", 1),
        "listen 443 ssl default_server;": (f"listen {https} default_server;", 1),
        "listen [::]:80;": ("", 1),
        "listen [::]:80 default_server;": ("", 1),
        "listen [::]:443 ssl http2;": ("", 1),
        "listen [::]:443 ssl default_server;": ("", 1),
        "server 127.0.0.1:8000;": (f"server {upstream};", 1),
        "/etc/ssl/my_project/fullchain.pem": (str(cert), 1),
        "/etc/ssl/my_project/privkey.pem": (str(key), 1),
        "/srv/my_project/staticfiles/": (f"{project}/staticfiles/", 2),
        "/srv/my_project/media/": (f"{project}/media/", 1),
        "/var/log/nginx/my_project.access.log": (f"{work}/site-access.log", 2),
    }
    for old, (new, count) in replacements.items():
        assert site.count(old) == count, f"{old!r} occurs {site.count(old)} times"
        site = site.replace(old, new)
    (work / "site.conf").write_text(site)
    temp = "".join(
        f"{kind}_temp_path {work}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = work / "nginx.conf"
    conf.write_text(
        # Workers run as root here so they can read the pytest temp directory.
        f"user root;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log;\ndaemon off;\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log {work}/access.log;\n"
        f"{temp}include {work}/site.conf;\n}}\n"
    )
    return conf


@pytest.fixture(scope="module")
def behind_nginx(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, int, Path]]:
    """gunicorn behind nginx with TLS: yields (http port, https port, CA file)."""
    nginx = require("nginx")
    work = tmp_path_factory.mktemp("nginx")
    database = f"keel_{secrets.token_hex(6)}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc"]
    run([*psql, f"CREATE DATABASE {database}"], cwd=work)
    env = production_env(f"postgres://postgres@127.0.0.1:5432/{database}")
    manage(project, env, "migrate", "--no-input")
    http_port, https_port = free_port(), free_port()
    try:
        with gunicorn(project, env, work / "gunicorn") as base:
            conf = nginx_config(
                project, work, base.removeprefix("http://"), http_port, https_port
            )
            run([nginx, "-t", "-c", conf, "-p", work], cwd=work)
            process = subprocess.Popen(
                [nginx, "-c", conf, "-p", work], stderr=subprocess.PIPE
            )
            try:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    try:
                        socket.create_connection(("127.0.0.1", https_port), 1).close()
                        break
                    except OSError:
                        time.sleep(0.1)
                yield http_port, https_port, work / "fullchain.pem"
            finally:
                process.terminate()
                process.wait(timeout=10)
    finally:
        run([*psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], cwd=work)


def tls_get(
    port: int,
    path: str,
    cafile: Path,
    headers: dict[str, str] | None = None,
    version: ssl.TLSVersion | None = None,
    host: str = DOMAIN,
) -> http.client.HTTPResponse:
    """GET over TLS from 127.0.0.1, naming ``host`` in SNI as a browser would."""
    context = ssl.create_default_context(cafile=str(cafile))
    context.check_hostname = False  # the certificate names DOMAIN; we dial 127.0.0.1
    if version is not None:
        context.minimum_version = context.maximum_version = version
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context)
    connection.sock = context.wrap_socket(
        socket.create_connection(("127.0.0.1", port), 10), server_hostname=host
    )
    connection.request("GET", path, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_nginx_redirects_http_to_https(behind_nginx: tuple[int, int, Path]) -> None:
    http_port, _, _ = behind_nginx
    status, headers, _ = get(
        f"http://127.0.0.1:{http_port}/admin/login/?next=/x", headers={"Host": DOMAIN}
    )
    assert status == 301
    assert headers["Location"] == f"https://{DOMAIN}/admin/login/?next=/x"


def test_pages_through_tls_carry_every_security_header(
    behind_nginx: tuple[int, int, Path],
) -> None:
    _, https_port, cafile = behind_nginx
    response = tls_get(https_port, "/admin/login/", cafile)
    assert response.status == 200
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_all(name) == [value], name
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    # nginx's request id reaches Django and comes back.
    assert len(response.headers["X-Request-ID"]) == 32


# Offering TLS 1.1 on purpose, to see it refused, makes the ssl module warn.
@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated")
@pytest.mark.parametrize(
    ("version", "accepted"),
    [
        (ssl.TLSVersion.TLSv1_3, True),
        (ssl.TLSVersion.TLSv1_2, True),
        (ssl.TLSVersion.TLSv1_1, False),
    ],
    ids=["tls1.3", "tls1.2", "tls1.1"],
)
def test_nginx_speaks_only_tls_1_2_and_1_3(
    behind_nginx: tuple[int, int, Path], version: ssl.TLSVersion, accepted: bool
) -> None:
    _, https_port, cafile = behind_nginx
    if accepted:
        assert (
            tls_get(https_port, "/health/live/", cafile, version=version).status == 200
        )
    else:
        with pytest.raises(ssl.SSLError):
            tls_get(https_port, "/health/live/", cafile, version=version)


def test_static_files_are_served_by_nginx_with_immutable_caching(
    project: Path, behind_nginx: tuple[int, int, Path]
) -> None:
    _, https_port, cafile = behind_nginx
    manifest = json.loads((project / "staticfiles/staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]
    response = tls_get(
        https_port, f"/static/{hashed}", cafile, headers={"Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers.get_all("Strict-Transport-Security") == [
        SECURITY_HEADERS["Strict-Transport-Security"]
    ]
    assert response.headers["Content-Encoding"] == "gzip"
    assert "X-Request-ID" not in response.headers  # nginx answered, not Django


def test_the_readiness_probe_works_through_nginx(
    behind_nginx: tuple[int, int, Path],
) -> None:
    _, https_port, cafile = behind_nginx
    response = tls_get(https_port, "/health/ready/", cafile)
    assert response.status == 200


def test_unhashed_static_files_are_cached_briefly(
    behind_nginx: tuple[int, int, Path],
) -> None:
    _, https_port, cafile = behind_nginx
    response = tls_get(https_port, "/static/admin/css/base.css", cafile)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_other_host_names_are_refused_without_an_answer(
    behind_nginx: tuple[int, int, Path],
) -> None:
    http_port, https_port, cafile = behind_nginx
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        get(f"http://127.0.0.1:{http_port}/", headers={"Host": "scanner.invalid"})
    with pytest.raises(ssl.SSLError):
        tls_get(https_port, "/", cafile, host="scanner.invalid")


def test_probes_answer_over_plain_http_from_the_private_network(
    behind_nginx: tuple[int, int, Path],
) -> None:
    http_port, _, _ = behind_nginx
    status, _, body = get(
        f"http://127.0.0.1:{http_port}/health/ready/", headers={"Host": DOMAIN}
    )
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_nginx_logs_json_lines_with_the_request_id(
    behind_nginx: tuple[int, int, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    _, https_port, cafile = behind_nginx
    sent = tls_get(https_port, "/admin/login/", cafile).headers["X-Request-ID"]
    log = next(tmp_path_factory.getbasetemp().rglob("site-access.log"))
    deadline = time.monotonic() + 5
    while sent not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    (line,) = [json.loads(x) for x in log.read_text().splitlines() if sent in x]
    assert line["uri"] == "/admin/login/" and line["status"] == 200
    assert float(line["request_time"]) >= 0


def test_gunicorn_keeps_connections_alive(
    project: Path, postgres_database: str, tmp_path: Path
) -> None:
    env = production_env(postgres_database)
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


# Outgoing mail ----------------------------------------------------------------
# A message sent by the generated project, in its own process under the
# production settings, must reach the server that the environment names.


# Django's migration guide to MAILERS: tests with an in-memory backend miss
# the deprecations of the production mail path, so send with them as errors.
NO_DEPRECATIONS = "error::DeprecationWarning,error::PendingDeprecationWarning"


class SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages and keep them in server.messages.

    Python 3.12 removed smtpd; a sink this small needs no dependency.
    """

    server: SmtpSinkServer

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline().decode():
            verb = line[:4].upper()
            if verb == "QUIT":
                self.reply("221 bye")
                return
            if verb == "MAIL":  # MAIL FROM:<address>
                sender, recipients = line[10:].strip(), []
            elif verb == "RCPT":  # RCPT TO:<address>
                recipients.append(line[8:].strip())
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                self.server.messages.append(
                    (sender, recipients, b"".join(data).decode())
                )
            elif verb not in ("EHLO", "HELO", "RSET", "NOOP"):
                self.reply("502 not implemented")
                continue
            self.reply("250 ok")


class SmtpSinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    messages: list[tuple[str, list[str], str]]


@contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def test_production_mail_reaches_the_smtp_server_in_email_url(all_off: Path) -> None:
    sink = SmtpSinkServer(("127.0.0.1", 0), SmtpSink)
    sink.messages = []
    env = production_env(
        DEAD_DATABASE,
        EMAIL_URL=f"smtp://127.0.0.1:{sink.server_address[1]}",
        DJANGO_DEFAULT_FROM_EMAIL="shop@example.com",
        PYTHONWARNINGS=NO_DEPRECATIONS,
    )
    with serving(sink):
        manage(all_off, env, "sendtestemail", "ops@example.org")
    ((sender, recipients, data),) = sink.messages
    assert sender == "<shop@example.com>"
    assert recipients == ["<ops@example.org>"]
    assert "Subject: Test email from" in data


class PostmarkStandIn(http.server.BaseHTTPRequestHandler):
    """Answers Postmark's send API as Postmark does; keeps each request."""

    server: PostmarkServer

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((self.path, self.headers, json.loads(body)))
        answer = json.dumps(
            {"To": "ops@example.org", "SubmittedAt": "2026-01-01T00:00:00Z",
             "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
             "ErrorCode": 0, "Message": "OK"}
        ).encode()  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


class PostmarkServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, http.client.HTTPMessage, dict[str, object]]]


def test_production_mail_reaches_the_email_service_over_https(
    all_on: Path, tmp_path: Path
) -> None:
    """Postmark's API, stood in for by a local HTTPS server: EMAIL_API_URL
    points at it and REQUESTS_CA_BUNDLE makes its certificate trusted."""
    cert, key = self_signed_certificate(tmp_path, "IP:127.0.0.1")
    server = PostmarkServer(("127.0.0.1", 0), PostmarkStandIn)
    server.requests = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    token = secrets.token_urlsafe(24)
    env = production_env(
        DEAD_DATABASE,
        EMAIL_PROVIDER="postmark",
        EMAIL_API_KEY=token,
        EMAIL_API_URL=f"https://127.0.0.1:{server.server_address[1]}",
        REQUESTS_CA_BUNDLE=str(cert),
        PYTHONWARNINGS=NO_DEPRECATIONS,
    )
    with serving(server):
        manage(all_on, env, "sendtestemail", "ops@example.org")
    ((path, headers, payload),) = server.requests
    assert path == "/email"
    assert headers["X-Postmark-Server-Token"] == token
    assert payload["From"] == "noreply@example.com"  # the default sender
    assert payload["To"] == "ops@example.org"
    assert str(payload["Subject"]).startswith("Test email from")
