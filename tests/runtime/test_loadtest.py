"""Runtime tier: `make loadtest`, briefly, against gunicorn under the production
settings with PostgreSQL and Redis. Within its budgets it exits 0 and writes
its report; with the home page slowed past a second it fails and names the
budget that broke."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from harness.client import get
from harness.commands import run
from harness.processes import gunicorn, manage
from harness.services import postgres_database, production_env

pytestmark = pytest.mark.xdist_group("runtime")

# A few visitors for a few seconds (Locust's own start-up counts in them): each
# makes its first request at once, then one every one to three seconds.
BRIEF = ["USERS=10", "SPAWN_RATE=10", "DURATION=6s"]

# The load test's pages. A worker's first request of each imports and compiles
# what it needs (over a second here, where no bytecode is written), and the
# budgets judge the steady state: each is served many times before a run.
PAGES = ("/", "/accounts/login/", "/api/v1/me/", "/health/ready/")
HTTPS = {"X-Forwarded-Proto": "https"}

# The production settings, and a first middleware that holds the home page for
# 1.2 s while the file SLOW names exists: the slow view that the p99 budget
# (under a second) must catch. Without the file it only looks for it.
SLOWED_SETTINGS = """
import time
from pathlib import Path

from config.settings.production import *  # noqa: F401,F403

SLOW = Path({slow!r})


def slow_home(get_response):
    def middleware(request):
        if request.path == "/" and SLOW.exists():
            time.sleep(1.2)
        return get_response(request)

    return middleware


MIDDLEWARE = ["slowed_settings.slow_home", *MIDDLEWARE]  # noqa: F405
"""


class Site(NamedTuple):
    project: Path
    base: str
    slow: Path


@pytest.fixture(scope="module")
def site(all_on: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The project with every option on (the API too), migrated and served by
    gunicorn once for both tests, its pages warmed up."""
    work = tmp_path_factory.mktemp("loadtest")
    slow = work / "slow"
    (work / "slowed_settings.py").write_text(SLOWED_SETTINGS.format(slow=str(slow)))
    with postgres_database() as database_url:
        env = production_env(
            all_on, database_url,
            DJANGO_SETTINGS_MODULE="slowed_settings", PYTHONPATH=str(work),
        )  # fmt: skip
        manage(all_on, env, "migrate", "--no-input")
        with gunicorn(all_on, env, work / "gunicorn") as base:
            with ThreadPoolExecutor(8) as pool:
                urls = [f"{base}{page}" for page in PAGES for _ in range(8)]
                # Cold, /health/ready/ may miss its deadline (503): the run
                # that follows judges the answers.
                list(pool.map(lambda url: get(url, headers=HTTPS), urls))
            yield Site(all_on, base, slow)


def loadtest(site: Site, report: Path) -> subprocess.CompletedProcess[str]:
    return run(
        ["make", "--no-print-directory", "loadtest", f"HOST={site.base}", *BRIEF,
         f"LOADTEST_REPORT={report}"],
        cwd=site.project,
        check=False,
        timeout=120,
    )  # fmt: skip


def test_within_its_budgets_the_load_test_passes_and_writes_its_report(
    site: Site, tmp_path: Path
) -> None:
    result = loadtest(site, tmp_path / "report")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "budget broken" not in output
    figures = re.search(r"Load test: (\d+) requests, [\d.]+/s, p50 \d+ ms", output)
    assert figures and int(figures[1]) >= 10, output
    assert (tmp_path / "report/report.html").stat().st_size > 0
    endpoints = json.loads((tmp_path / "report/stats.json").read_text())
    assert sum(entry["num_requests"] for entry in endpoints) == int(figures[1])
    assert sum(entry["num_failures"] for entry in endpoints) == 0


def test_a_page_slower_than_a_second_breaks_the_p99_budget(
    site: Site, tmp_path: Path
) -> None:
    site.slow.touch()
    try:
        result = loadtest(site, tmp_path / "report")
    finally:
        site.slow.unlink()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(r"\[Makefile:\d+: loadtest\] Error 1$", output, re.M), output
    assert re.search(
        r"Load test budget broken: p99 for GET /, 1\d{3} ms "
        r"\(budget: under 1000 ms\)\.$",
        output,
        re.M,
    ), output
