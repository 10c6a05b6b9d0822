"""Requests per second and p99 latency of a generated project under gunicorn.

    uv run --only-group test python benchmarks/throughput.py [--rounds 3] [--smoke]

Needs wrk (Debian's `wrk` package), PostgreSQL on 127.0.0.1:5432 and Redis on
127.0.0.1:6379. Every server runs gunicorn with the same worker count, and the
rounds alternate between the variants so that machine noise hits them alike.
Compared, with medians over the rounds:

- /health/live/ of the generated project against a plain view of a bare
  `django-admin startproject` (the cost of the hardened middleware stack);
- a full sign-in page through every middleware: the generated project's
  /accounts/login/ and the bare project's /admin/login/;
- /health/ready/ with the connection pool against CONN_MAX_AGE=0 and no pool.

These run with worker recycling off (`--max-requests 0`) for both projects,
so that they compare the code; "live, recycling" runs gunicorn.conf.py as
shipped, restarting each worker after 10,000 to 15,000 requests
(benchmarks/recycling.py looks at recycling under heavier load).

Bytecode is compiled before the servers start (PYTHONDONTWRITEBYTECODE is set
on these machines, so each worker would otherwise compile its imports). wrk
times a request out after 2 seconds and counts it as an error. `--smoke` runs
every variant once for a second, with no warm-up: it proves that the script
still starts the projects, and its figures mean nothing.
"""

from __future__ import annotations

import argparse
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The tests' harness: one home for the production environment of a project.
sys.path.insert(0, str(ROOT / "tests"))
from harness.commands import CLEAN_ENV, free_port  # noqa: E402
from harness.services import BENCHMARK_REDIS_URL, production_env  # noqa: E402

WORKERS = "2"
LIVE, READY = "/health/live/", "/health/ready/"
SIGN_IN, ADMIN = "/accounts/login/", "/admin/login/"
BARE_VIEW = """
from django.http import JsonResponse
from django.contrib import admin
from django.urls import path


def live(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("health/live/", live), path("admin/", admin.site.urls)]
"""
NO_POOL_SETTINGS = """
from .production import *  # noqa: F401,F403

DATABASES["default"]["OPTIONS"].pop("pool")  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
"""

# The same production settings without the request metrics (health/metrics.py).
NO_METRICS_SETTINGS = """
from .production import *  # noqa: F401,F403

MIDDLEWARE = [m for m in MIDDLEWARE if not m.endswith(".MetricsMiddleware")]  # noqa
"""


def sh(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env={**CLEAN_ENV, **(env or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def compile_bytecode(*trees: Path) -> None:
    """PYTHONDONTWRITEBYTECODE is set on these machines: without this, every
    worker would compile its imports again."""
    for tree in trees:
        sh([trees[0] / ".venv/bin/python", "-m", "compileall", "-q", "-x",
            r"/\.venv/", tree], cwd=tree)  # fmt: skip


@contextmanager
def installed_project() -> Iterator[tuple[Path, dict[str, str]]]:
    """A default project in a temporary folder, installed with bytecode,
    migrated against a fresh PostgreSQL database (dropped afterwards); yields
    it and its production environment."""
    with tempfile.TemporaryDirectory() as tmp:
        yield from _installed_project(Path(tmp))


def _installed_project(work: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    project = work / "project"
    print("generating and installing the project", file=sys.stderr)
    sh([sys.executable, "-m", "copier", "copy", "--quiet", "--defaults",
        "--vcs-ref", "HEAD", ROOT, project], cwd=work)  # fmt: skip
    sh(["uv", "sync", "--locked", "--no-default-groups", "--compile-bytecode"],
       cwd=project)  # fmt: skip
    compile_bytecode(project)
    database = f"keel_bench_{secrets.token_hex(4)}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]
    sh([*psql, f"CREATE DATABASE {database}"], cwd=work)
    env = production_env(
        project,
        f"postgres://postgres@127.0.0.1:5432/{database}",
        REDIS_URL=BENCHMARK_REDIS_URL,
        WEB_CONCURRENCY=WORKERS,
    )
    try:
        python = project / ".venv/bin/python"
        sh([python, "manage.py", "migrate", "-v0"], cwd=project, env=env)
        sh([python, "manage.py", "collectstatic", "--no-input", "-v0"], project, env)
        yield project, env
    finally:
        sh([*psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], cwd=work)


@contextmanager
def gunicorn(
    cwd: Path, args: list[str], env: dict[str, str], workers: str = WORKERS
) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(cwd / ".venv/bin/gunicorn"), *args, "--bind", f"127.0.0.1:{port}",
         "--workers", workers, "--access-logfile", "/dev/null"],
        cwd=cwd, env={**CLEAN_ENV, **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/health/live/", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit(f"gunicorn in {cwd} did not start")
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wrk(url: str, seconds: int, headers: dict[str, str]) -> tuple[float, float]:
    """Requests per second and p99 latency in milliseconds."""
    extra = [arg for k, v in headers.items() for arg in ("--header", f"{k}: {v}")]
    output = sh(
        ["wrk", "--threads", "1", "--connections", "8", "--duration", f"{seconds}s",
         "--timeout", "2s", "--latency", *extra, url],
        cwd=ROOT,
    )  # fmt: skip
    rps_match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99_match = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    if rps_match is None or p99_match is None:
        sys.exit(f"unexpected wrk output:\n{output}")
    rps = float(rps_match[1])
    value, unit = p99_match.groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99


def load_options(doc: str, rounds: int, seconds: int) -> argparse.Namespace:
    """The command line of a wrk benchmark: rounds, seconds a run, --smoke."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--seconds", type=int, default=seconds)
    parser.add_argument("--smoke", action="store_true", help="one 1-second round")
    options = parser.parse_args()
    if options.smoke:
        options.rounds, options.seconds = 1, 1
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    return options


def main() -> None:
    options = load_options(__doc__, rounds=3, seconds=8)

    with installed_project() as (project, env):
        work = project.parent
        (project / "config/settings/nopool.py").write_text(NO_POOL_SETTINGS)
        (project / "config/settings/nometrics.py").write_text(NO_METRICS_SETTINGS)
        bare = work / "bare"
        bare.mkdir()
        (bare / ".venv").symlink_to(project / ".venv")
        sh([project / ".venv/bin/django-admin", "startproject", "bare", bare], cwd=work)
        (bare / "bare/urls.py").write_text(BARE_VIEW)
        compile_bytecode(project, bare)
        bare_env = {
            "DJANGO_SETTINGS_MODULE": "bare.settings",
            "PYTHONPATH": str(bare),
        }
        sh([project / ".venv/bin/python", "manage.py", "migrate", "-v0"], cwd=bare,
           env=bare_env)  # fmt: skip
        https = {"X-Forwarded-Proto": "https"}
        hardened = ["--config", "gunicorn.conf.py", "--max-requests", "0"]
        plain = ["bare.wsgi", "--max-requests", "0"]
        shipped = ["--config", "gunicorn.conf.py"]
        nopool = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.nopool"}
        nometrics = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.nometrics"}
        variants = {
            "live, hardened": (project, hardened, env, LIVE, {}),
            "live, no metrics": (project, hardened, nometrics, LIVE, {}),
            "live, bare": (bare, plain, bare_env, LIVE, {}),
            "live, recycling": (project, shipped, env, LIVE, {}),
            "page, hardened": (project, hardened, env, SIGN_IN, https),
            "page, no metrics": (project, hardened, nometrics, SIGN_IN, https),
            "page, bare": (bare, plain, bare_env, ADMIN, {}),
            "ready, pool": (project, hardened, env, READY, {}),
            "ready, no pool": (project, hardened, nopool, READY, {}),
        }
        results: dict[str, list[tuple[float, float]]] = {k: [] for k in variants}
        for round_ in range(options.rounds):
            for name, (cwd, args, variant_env, path, headers) in variants.items():
                print(f"round {round_ + 1}: {name}", file=sys.stderr)
                with gunicorn(cwd, args, variant_env) as base:
                    # Warm-up: each worker loads the view before it is timed.
                    wrk(base + path, 1 if options.smoke else 2, headers)
                    results[name].append(wrk(base + path, options.seconds, headers))

    medians = {
        name: (
            statistics.median(r for r, _ in samples),
            statistics.median(p for _, p in samples),
        )
        for name, samples in results.items()
    }
    print(
        f"gunicorn, {WORKERS} workers; wrk, 1 thread, 8 connections, "
        f"{options.seconds} s; medians of {options.rounds} rounds"
    )
    print(f"{'variant':<24}{'req/s':>10}{'p99 ms':>10}")
    for name, (rps, p99) in medians.items():
        print(f"{name:<24}{rps:>10.0f}{p99:>10.1f}")
    stuck = [name for name, (rps, _) in medians.items() if rps == 0]
    if stuck:
        sys.exit(f"no request completed within wrk's 2 s timeout: {', '.join(stuck)}")
    for label, a, b in [
        ("live: hardened / bare", "live, hardened", "live, bare"),
        ("live: recycling / hardened", "live, recycling", "live, hardened"),
        ("live: metrics / none", "live, hardened", "live, no metrics"),
        ("sign-in page: metrics / none", "page, hardened", "page, no metrics"),
        ("sign-in page: hardened / bare", "page, hardened", "page, bare"),
        ("ready: pool / no pool", "ready, pool", "ready, no pool"),
    ]:
        print(f"{label:<30} {medians[a][0] / medians[b][0]:.2f}x throughput")


if __name__ == "__main__":
    main()
