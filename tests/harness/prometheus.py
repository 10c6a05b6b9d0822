"""A real Prometheus server (Debian's package) for the runtime tier."""

from __future__ import annotations

import json
import shutil
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.commands import free_port
from harness.processes import started

BINARY = "/usr/bin/prometheus"


def binary() -> str:
    """Prometheus' server, which .ci/run installs (Debian's prometheus)."""
    found = shutil.which("prometheus") or (BINARY if Path(BINARY).exists() else None)
    if found is None:
        pytest.fail("prometheus is not installed: apt-get install prometheus")
    return found


class Prometheus:
    def __init__(self, base: str) -> None:
        self.base = base

    def api(self, path: str, **params: str) -> Any:
        url = f"{self.base}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            body = json.load(response)
        assert body["status"] == "success", body
        return body["data"]

    def value(self, query: str) -> float | None:
        """The query's single value now, or None while it has none."""
        result = self.api("query", query=query)["result"]
        return float(result[0]["value"][1]) if result else None

    def alerts(self, name: str) -> list[str]:
        """The states of the alert's instances: pending or firing."""
        found = self.api("alerts")["alerts"]
        return [
            alert["state"] for alert in found if alert["labels"]["alertname"] == name
        ]

    def wait(self, what: str, check: Any, timeout: float = 60) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(0.25)
        pytest.fail(f"Prometheus never saw {what}", pytrace=False)


@contextmanager
def prometheus(
    target: str, tmp: Path, rules: list[dict[str, Any]] | None = None
) -> Iterator[Prometheus]:
    """Prometheus scraping ``target`` (host:port) every second, with the
    rule ``groups`` given, on a free port with its data in ``tmp``."""
    tmp.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "scrape_configs": [
            {
                "job_name": "web",
                "scrape_timeout": "1s",
                "static_configs": [{"targets": [target]}],
            }
        ],
    }
    if rules is not None:
        (tmp / "rules.yml").write_text(yaml.safe_dump({"groups": rules}))
        config["rule_files"] = [str(tmp / "rules.yml")]
    (tmp / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    command: list[str | Path] = [
        binary(), f"--config.file={tmp / 'prometheus.yml'}",
        f"--storage.tsdb.path={tmp / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]  # fmt: skip
    with started(command, tmp, {}, tmp / "out.log", tmp / "err.log") as process:
        server = Prometheus(f"http://127.0.0.1:{port}")

        def is_ready() -> bool:
            if process.poll() is not None:
                pytest.fail(f"prometheus exited:\n{(tmp / 'err.log').read_text()}")
            try:
                with urllib.request.urlopen(
                    f"{server.base}/-/ready", timeout=2
                ):  # noqa: S310
                    return True
            except OSError:
                return False

        server.wait("itself ready", is_ready, timeout=30)
        yield server
