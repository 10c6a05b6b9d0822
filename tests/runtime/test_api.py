"""Runtime tier: the REST API under gunicorn: refusals and the shared throttle."""

from __future__ import annotations

import http.client
import json
import re
import secrets
import time
from pathlib import Path

import pytest

from harness.client import get
from harness.processes import gunicorn, serving_process
from harness.services import DEAD_REDIS, production_env

pytestmark = pytest.mark.xdist_group("runtime")


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
    env = production_env(all_on, postgres_database)
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


def answers(connection: http.client.HTTPConnection, path: str) -> bool:
    """Whether a kept-alive connection still answers; closed if not."""
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    except (http.client.HTTPException, OSError):
        connection.close()
        return False
    return not response.will_close


def test_the_api_throttle_is_shared_by_both_workers(
    all_on: Path, postgres_database: str, tmp_path: Path
) -> None:
    """Two kept-alive connections, each held by a different gunicorn worker
    (read from /proc), take turns: the limit is reached across both. With a
    count kept in each process, each worker would have seen half of it, and
    the next request would pass."""
    project = all_on
    limit = anonymous_api_limit(project)
    client = f"198.18.{secrets.randbelow(256)}.3"
    headers = {"X-Forwarded-Proto": "https", "X-Real-IP": client}
    with gunicorn(
        project, production_env(project, postgres_database), tmp_path
    ) as base:
        address = base.removeprefix("http://")
        held: dict[int, http.client.HTTPConnection] = {}
        deadline = time.monotonic() + 30
        while len(held) < 2 and time.monotonic() < deadline:
            # The second worker may still be loading Django after the first
            # answered; and connections that wait in the listen backlog
            # together wake both workers, where one by one they may not.
            for worker, connection in list(held.items()):
                # gunicorn closes a connection idle for keepalive (5 s).
                if not answers(connection, "/health/live/"):
                    del held[worker]
            burst = [http.client.HTTPConnection(address, timeout=10) for _ in range(16)]
            for connection in burst:
                connection.connect()
            for connection in burst:
                connection.request("GET", "/health/live/")
                connection.getresponse().read()
                worker = serving_process(connection.sock)
                if worker in held:
                    connection.close()
                else:
                    held[worker] = connection
            time.sleep(0.5)
        assert len(held) == 2, "every connection went to one worker"
        statuses = []
        for number in range(limit + 2):
            connection = list(held.values())[number % 2]
            connection.request("GET", "/api/v1/schema/?format=json", headers=headers)
            response = connection.getresponse()
            response.read()
            assert not response.will_close, "the worker closed a connection"
            statuses.append(response.status)
        pids = {serving_process(c.sock) for c in held.values()}
        for connection in held.values():
            connection.close()
    assert len(pids) == 2, "a connection moved to another worker"
    assert statuses == [200] * limit + [429, 429], statuses


def test_the_api_throttle_keeps_limiting_while_redis_is_down(
    all_on: Path, postgres_database: str, tmp_path: Path
) -> None:
    """The cache ignores Redis errors; the throttle must not: with Redis
    refusing, one worker still counts a client's requests and refuses the
    one over the limit."""
    project = all_on
    limit = anonymous_api_limit(project)
    headers = {"X-Forwarded-Proto": "https", "X-Real-IP": "198.18.0.9"}
    env = production_env(all_on, postgres_database, REDIS_URL=DEAD_REDIS)
    with gunicorn(project, env, tmp_path) as base:
        connection = http.client.HTTPConnection(
            base.removeprefix("http://"), timeout=10
        )
        statuses = []
        for _ in range(limit + 2):
            connection.request("GET", "/api/v1/schema/?format=json", headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
    assert statuses == [200] * limit + [429, 429], statuses
