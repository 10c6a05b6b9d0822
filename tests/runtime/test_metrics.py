"""Runtime tier: a real Prometheus scrapes /metrics from gunicorn's two workers."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from harness.client import get
from harness.processes import gunicorn
from harness.prometheus import prometheus
from harness.services import DEAD_DATABASE, production_env

pytestmark = pytest.mark.xdist_group("runtime")

LABELS = {"view": "health-live", "method": "GET", "status": "200"}
LIVE = 'sum(django_http_requests_total{view="health-live",method="GET",status="200"})'
SAMPLE = re.compile(r"django_http_requests_total\{(?P<labels>[^}]*)\} (?P<value>\S+)")


def counted(base: str) -> float:
    """The live probes gunicorn has counted so far, from its own /metrics."""
    status, _, body = get(f"{base}/metrics")
    assert status == 200
    values = [
        float(found["value"])
        for found in SAMPLE.finditer(body.decode())
        if dict(re.findall(r'(\w+)="([^"]*)"', found["labels"])) == LABELS
    ]
    assert len(values) == 1, body
    return values[0]


def shipped_rule(project: Path, name: str) -> dict[str, object]:
    groups = yaml.safe_load((project / "deploy/prometheus/rules.yml").read_text())
    rules = [rule for group in groups["groups"] for rule in group["rules"]]
    return next(rule for rule in rules if rule.get("alert") == name)


def test_prometheus_adds_up_the_requests_of_both_workers(
    all_off: Path, postgres_database: str, tmp_path: Path
) -> None:
    directory = tmp_path / "samples"
    directory.mkdir()
    # Left by an earlier run: the master must start from nothing.
    (directory / "counter_999999.db").write_bytes(b"stale")
    env = production_env(
        all_off, postgres_database, PROMETHEUS_MULTIPROC_DIR=str(directory)
    )
    with gunicorn(all_off, env, tmp_path / "gunicorn") as base:
        assert not (directory / "counter_999999.db").exists()
        # gunicorn's start was awaited with live probes: count from here.
        before = counted(base)
        sent = 0
        # Concurrent connections until both workers have counted some.
        with ThreadPoolExecutor(8) as pool:
            while len(list(directory.glob("counter_*.db"))) < 2 and sent < 2000:
                statuses = pool.map(lambda _: get(f"{base}/health/live/")[0], range(40))
                assert set(statuses) == {200}
                sent += 40
        assert len(list(directory.glob("counter_*.db"))) == 2, "one worker served all"
        target = base.removeprefix("http://")
        with prometheus(target, tmp_path / "prometheus") as server:
            expected = before + sent
            server.wait(f"{expected} requests", lambda: server.value(LIVE) == expected)
            assert server.value('django_dependency_ready{dependency="database"}') == 1
            assert server.value('django_dependency_ready{dependency="cache"}') == 1
            assert server.value('up{job="web"}') == 1


def test_with_the_database_unreachable_readiness_drops_and_the_alert_fires(
    all_off: Path, tmp_path: Path
) -> None:
    """The shipped DjangoDependencyNotReady rule, with a `for:` of 3 seconds:
    pending first, then firing, for the database only."""
    rule = {**shipped_rule(all_off, "DjangoDependencyNotReady"), "for": "3s"}
    env = production_env(all_off, DEAD_DATABASE)
    with gunicorn(all_off, env, tmp_path / "gunicorn") as base:
        assert get(f"{base}/health/ready/")[0] == 503
        target = base.removeprefix("http://")
        groups = [{"name": "test", "rules": [rule]}]
        with prometheus(target, tmp_path / "prometheus", groups) as server:
            query = 'django_dependency_ready{dependency="database"}'
            server.wait("the database not ready", lambda: server.value(query) == 0)
            name = "DjangoDependencyNotReady"
            server.wait("the alert pending", lambda: "pending" in server.alerts(name))
            server.wait("the alert firing", lambda: server.alerts(name) == ["firing"])
            assert server.value('django_dependency_ready{dependency="cache"}') == 1
