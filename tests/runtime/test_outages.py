"""Runtime tier: a generated project under gunicorn while PostgreSQL or Redis
(also the Celery broker) refuses, hangs or silently drops packets.

The project reaches both through a FaultProxy (tests/harness/faults.py), warms its
pools, and then loses one. The bounds tested are the ones the generated docs
promise (docs/architecture/system-design.md):

- /health/ready/ answers 503 within 1 second, the default timeout of a
  Kubernetes probe, and names what failed.
- A request that needs the database fails within DATABASE_POOL_TIMEOUT plus
  REQUEST_MARGIN seconds; with Redis gone, it is still served, more slowly.
- Once the proxy forwards again, both recover without a restart.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime.test_health import checks

from harness.client import get
from harness.faults import FaultProxy, fault_proxy
from harness.processes import gunicorn, manage
from harness.services import RUNTIME_REDIS_URL, production_env

pytestmark = pytest.mark.xdist_group("runtime")

MODES = ("refuse", "hang", "drop")
READY_LIMIT = 1.0
POOL_TIMEOUT = 3
# The pool's checks of its idle connections (0.5 s each, config/database.py),
# and the margin of a loaded machine.
REQUEST_MARGIN = 2.0
REQUEST_LIMIT = POOL_TIMEOUT + REQUEST_MARGIN
RECOVERY_LIMIT = 15.0


@pytest.fixture
def proxies() -> Iterator[dict[str, FaultProxy]]:
    with fault_proxy(5432) as database, fault_proxy(6379) as redis:
        yield {"database": database, "redis": redis}


def timed_get(url: str, **headers: str) -> tuple[int, bytes, float]:
    started = time.monotonic()
    status, _, body = get(url, timeout=30, headers=headers)
    return status, body, time.monotonic() - started


def needs_the_database(base: str, session: str) -> tuple[int, bytes, float]:
    """The sign-in page with a session cookie: loading the session (not in
    the cache) and its user reads the database."""
    return timed_get(
        f"{base}/accounts/login/",
        **{"X-Forwarded-Proto": "https", "Cookie": f"__Host-sessionid={session}"},
    )


def ready(base: str) -> tuple[int, dict[str, str], float]:
    status, body, elapsed = timed_get(f"{base}/health/ready/")
    return status, json.loads(body)["checks"], elapsed


def until_ready(base: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < RECOVERY_LIMIT:
        if ready(base)[0] == 200:
            return time.monotonic() - started
        time.sleep(0.2)
    pytest.fail(f"not ready {RECOVERY_LIMIT} s after the outage ended")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dependency", ["database", "redis"])
def test_waits_stay_bounded_through_an_outage(
    project: Path,
    postgres_database: str,
    proxies: dict[str, FaultProxy],
    tmp_path: Path,
    dependency: str,
    mode: str,
) -> None:
    database_url = postgres_database.replace(":5432/", f":{proxies['database'].port}/")
    redis_url = RUNTIME_REDIS_URL.replace(":6379/", f":{proxies['redis'].port}/")
    env = production_env(
        project,
        database_url,
        REDIS_URL=redis_url,
        WEB_CONCURRENCY="1",
        DATABASE_POOL_TIMEOUT=str(POOL_TIMEOUT),
    )
    manage(project, env, "migrate", "--no-input")
    session = secrets.token_hex(16)
    with gunicorn(project, env, tmp_path) as base:
        # Serving: the pool and the Redis connections are open.
        for _ in range(3):
            assert ready(base)[0] == 200
            assert needs_the_database(base, session)[0] == 200

        proxies[dependency].set(mode)
        failing = (
            {"database": "error"}
            if dependency == "database"
            else {"cache": "error", "broker": "error"}
        )
        # Twice: the second probe comes while the first one's checks may
        # still be waiting on the dead connections.
        for probe in range(2):
            status, found, elapsed = ready(base)
            print(f"figure: {dependency} {mode} ready#{probe} {elapsed:.3f}s")
            assert status == 503
            assert found == checks(project, **failing)
            assert elapsed < READY_LIMIT, (
                f"/health/ready/ took {elapsed:.2f} s with {dependency} in "
                f"{mode} mode; a probe gives up after {READY_LIMIT} s"
            )

        status, body, elapsed = needs_the_database(base, session)
        print(f"figure: {dependency} {mode} request {status} {elapsed:.3f}s")
        if dependency == "database":
            assert status == 500, body[-2000:]
        else:
            assert status == 200, body[-2000:]
        assert elapsed < REQUEST_LIMIT, (
            f"a request that needs the database took {elapsed:.2f} s with "
            f"{dependency} in {mode} mode; the bound is {REQUEST_LIMIT} s"
        )

        proxies[dependency].set("forward")
        recovered = until_ready(base)
        print(f"figure: {dependency} {mode} recovered {recovered:.3f}s")
        assert needs_the_database(base, session)[0] == 200
