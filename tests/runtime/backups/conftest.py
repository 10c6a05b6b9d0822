"""Backup fixtures: a populated database is backed up once per worker.

Each test works on its own databases and on copies of that backup, so none
depends on another's leftovers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.backups import POPULATE, backup_env, fingerprint, make
from harness.commands import require, run
from harness.render import generate, install
from harness.services import create_database, drop_database, new_database_name


# Session scope: built once per worker, however many modules use them.
@pytest.fixture(scope="session")
def new_database() -> Iterator[Callable[[], str]]:
    """Creates empty databases on the local server; drops them all afterwards."""
    require("pg_dump")
    created: list[str] = []

    def create() -> str:
        name = new_database_name()
        create_database(name)
        created.append(name)
        return name

    yield create
    for name in created:
        drop_database(name)


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(tmp_path_factory.mktemp("backups"))
    install(project)
    return project


@pytest.fixture(scope="session")
def source(
    project: Path,
    new_database: Callable[[], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, Path]:
    """A migrated, populated database and the directory holding its one backup."""
    database = new_database()
    backups = tmp_path_factory.mktemp("source-backups")
    env = backup_env(project, database, BACKUP_DIR=str(backups))
    python = str(project / ".venv/bin/python")
    run([python, "manage.py", "migrate", "--no-input"], cwd=project, env=env)
    run(
        [python, "manage.py", "shell", "--no-imports", "-c", POPULATE],
        cwd=project,
        env=env,
    )
    counts = {
        table: int(value.split()[0]) for table, value in fingerprint(database).items()
    }
    assert counts["public.users_user"] == 40
    assert counts["public.users_user_groups"] == 40
    assert sum(1 for count in counts.values() if count) >= 6, counts

    output = make(project, env, "backup").stdout
    for step in ("connecting", "counting", "dumping", "checksums", "retention"):
        assert step in output, output
    assert len(list(backups.glob("*.dump"))) == 1
    return database, backups
