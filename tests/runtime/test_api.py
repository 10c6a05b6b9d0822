"""Runtime tier: the REST API under gunicorn: refusals and the shared throttle."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest

from harness.client import get
from harness.processes import gunicorn
from harness.services import production_env

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
