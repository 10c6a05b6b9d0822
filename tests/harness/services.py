"""The local PostgreSQL and Redis, and a production environment that uses them:
a generated project's own sample, with this machine's addresses.

Each Redis database number belongs to one use, so that tests running at the
same time never share one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from harness.commands import ROOT, run

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/{name}"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc"]
# Redis database 3 belongs to the runtime tier's production environments.
RUNTIME_REDIS_URL = "redis://127.0.0.1:6379/3"
# The Celery tests' broker: a database of its own, emptied before each test.
CELERY_REDIS = "redis://127.0.0.1:6379/5"
# The benchmarks' cache, apart from the Celery tests' broker that they empty.
BENCHMARK_REDIS_URL = "redis://127.0.0.1:6379/6"
# The generated test suite's Redis in the gates tier, as the generated CI gives it one.
GATES_REDIS_URL = "redis://127.0.0.1:6379/7"
# Nothing listens on port 9 (discard): connections to it are refused.
DEAD_DATABASE = "postgres://postgres@127.0.0.1:9/unreachable"
DEAD_REDIS = "redis://127.0.0.1:9/0"


def new_database_name() -> str:
    return f"keel_{uuid.uuid4().hex[:12]}"


def create_database(name: str) -> None:
    run([*PSQL, f"CREATE DATABASE {name}"], cwd=ROOT)


def drop_database(name: str) -> None:
    run([*PSQL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], cwd=ROOT)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the local server, as a URL;
    dropped afterwards."""
    name = new_database_name()
    create_database(name)
    try:
        yield POSTGRES_SERVER.format(name=name)
    finally:
        drop_database(name)


def database_name(database_url: str) -> str:
    return database_url.rsplit("/", 1)[1]


def postgres_pids(database_url: str) -> set[int]:
    """The server processes connected to a database, but for this query's own."""
    query = (
        "SELECT pid FROM pg_stat_activity "
        f"WHERE datname = '{database_name(database_url)}' AND pid <> pg_backend_pid()"
    )
    output = run([*PSQL, query], cwd=Path.cwd()).stdout
    return {int(pid) for pid in output.split()}


# What the test machine needs instead of the sample's addresses: its hosts,
# its databases and its two cores. Only names from the table, as
# tests/runtime/test_configuration.py proves.
def machine(database_url: str) -> dict[str, str]:
    return {
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,example.com",
        "DATABASE_URL": database_url,
        "REDIS_URL": RUNTIME_REDIS_URL,
        "WEB_CONCURRENCY": "2",
    }


# Django's own variable, not the table's: manage.py defaults to dev.
PRODUCTION_SETTINGS = {"DJANGO_SETTINGS_MODULE": "config.settings.production"}


@cache
def production_sample(project: Path) -> dict[str, str]:
    """The project's own production sample (`python -m config.env sample`):
    every variable its table declares with a sample, and nothing else."""
    output = run([project / ".venv/bin/python", "-m", "config.env", "sample"], project)
    return dict(line.split("=", 1) for line in output.stdout.splitlines())


def production_env(project: Path, database_url: str, **extra: str) -> dict[str, str]:
    """A complete production environment for ``project``, as a host gives it:
    the project's sample, with this machine's addresses, and ``extra``."""
    return {
        **PRODUCTION_SETTINGS,
        **production_sample(project),
        **machine(database_url),
        **extra,
    }
