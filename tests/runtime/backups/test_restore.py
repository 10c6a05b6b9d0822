"""Runtime tier: restores that must not lose what the target held."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness.backups import (
    backup_env,
    copy_backup,
    fingerprint,
    make,
    psql,
    restored_copy,
    rewrite_checksums,
    tables,
)

pytestmark = pytest.mark.xdist_group("backups")


def test_a_failed_forced_restore_leaves_the_target_as_it_was(
    project: Path,
    source: tuple[str, Path],
    new_database: Callable[[], str],
    tmp_path: Path,
) -> None:
    target = restored_copy(project, source, new_database)
    psql(
        target,
        "DELETE FROM django_admin_log; DELETE FROM users_user_groups;"
        " DELETE FROM users_user WHERE id > 5",
    )
    psql(target, "CREATE TABLE notes (note text); INSERT INTO notes VALUES ('kept')")
    before = fingerprint(target)

    # Cut inside the last table's data: pg_restore fails only after it has
    # dropped, recreated and filled the other tables.
    damaged = copy_backup(source[1], tmp_path / "damaged")
    damaged.write_bytes(damaged.read_bytes()[:-32])
    rewrite_checksums(damaged)
    result = make(
        project,
        backup_env(project, target),
        "restore",
        "FORCE=1",
        f"BACKUP={damaged}",
        check=False,
    )
    assert result.returncode != 0
    assert "rolled back" in result.stderr
    assert fingerprint(target) == before


def test_restore_refuses_a_non_empty_database_without_force(
    project: Path, source: tuple[str, Path], new_database: Callable[[], str]
) -> None:
    database, backups = source
    target = new_database()
    psql(target, "CREATE TABLE notes (note text); INSERT INTO notes VALUES ('mine')")
    dump = next(backups.glob("*.dump"))

    result = make(
        project, backup_env(project, target), "restore", f"BACKUP={dump}", check=False
    )
    assert result.returncode != 0
    assert f"{target} is not empty" in result.stderr
    assert "--force" in result.stderr
    assert tables(target) == ["public.notes"]

    make(project, backup_env(project, target), "restore", "FORCE=1", f"BACKUP={dump}")
    assert psql(target, "SELECT note FROM notes").split() == ["mine"]
    restored = fingerprint(target)
    del restored["public.notes"]
    assert restored == fingerprint(database)
