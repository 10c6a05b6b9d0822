"""Runtime tier: restore and backup-verify round trips against the local PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness.backups import (
    backup_env,
    backup_verify,
    copy_backup,
    fingerprint,
    make,
    psql,
    restored_copy,
    rewrite_checksums,
)

pytestmark = pytest.mark.xdist_group("backups")


def test_restore_into_a_new_database_matches_every_table(
    project: Path, source: tuple[str, Path], new_database: Callable[[], str]
) -> None:
    database, backups = source
    target = new_database()
    dump = next(backups.glob("*.dump"))
    env = backup_env(project, target)
    output = make(project, env, "restore", f"BACKUP={dump}").stdout
    assert "verifying the checksums" in output
    assert f"restored into {target}" in output

    expected = fingerprint(database)
    assert fingerprint(target) == expected
    assert len(expected) >= 10


def test_backup_verify_passes_and_drops_its_scratch_database(
    project: Path, source: tuple[str, Path]
) -> None:
    database, backups = source
    before = fingerprint(database)
    result = backup_verify(
        project, backup_env(project, database, BACKUP_DIR=str(backups))
    )
    verdict = result.stdout.strip().splitlines()[-1]
    assert verdict.startswith("backup-verify: PASSED"), result.stdout
    assert "rows match the source" in verdict
    assert "migrations are up to date" in verdict
    assert fingerprint(database) == before


@pytest.mark.parametrize("damage", ["truncated", "corrupted", "truncated-resummed"])
def test_backup_verify_fails_on_a_damaged_dump(
    project: Path, source: tuple[str, Path], tmp_path: Path, damage: str
) -> None:
    """A damaged dump fails verification; the source database is untouched.

    "truncated-resummed" carries a checksum that matches the truncated file,
    so pg_restore itself has to fail, and its transaction is rolled back.
    """
    database, backups = source
    dump = copy_backup(backups, tmp_path / "damaged")
    data = dump.read_bytes()
    if damage == "corrupted":
        middle = len(data) // 2
        dump.write_bytes(data[:middle] + bytes(64) + data[middle + 64 :])
    else:
        dump.write_bytes(data[: len(data) * 2 // 3])
    if damage == "truncated-resummed":
        rewrite_checksums(dump)
    before = fingerprint(database)

    env = backup_env(project, database, BACKUP_DIR=str(dump.parent))
    result = backup_verify(project, env, check=False)
    assert result.returncode != 0
    verdict = result.stdout.strip().splitlines()[-1]
    assert verdict.startswith("backup-verify: FAILED"), result.stdout
    if damage == "truncated-resummed":
        assert "pg_restore failed" in result.stderr
    else:
        assert "does not match its checksum" in result.stderr
    assert fingerprint(database) == before


def test_backup_verify_fails_when_the_row_counts_differ(
    project: Path, source: tuple[str, Path], tmp_path: Path
) -> None:
    database, backups = source
    dump = copy_backup(backups, tmp_path / "miscounted")
    rows = dump.with_suffix(".rows")
    rows.write_text(
        rows.read_text().replace("public.users_user\t40", "public.users_user\t41")
    )
    rewrite_checksums(dump)
    env = backup_env(project, database, BACKUP_DIR=str(dump.parent))
    result = backup_verify(project, env, check=False)
    assert result.returncode != 0
    assert "public.users_user\t41" in result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("backup-verify: FAILED")
    assert "row counts differ" in result.stdout


def test_backup_verify_fails_when_a_migration_is_missing(
    project: Path,
    source: tuple[str, Path],
    new_database: Callable[[], str],
    tmp_path: Path,
) -> None:
    behind = restored_copy(project, source, new_database)
    psql(behind, "DELETE FROM django_migrations WHERE app = 'sessions'")
    env = backup_env(project, behind, BACKUP_DIR=str(tmp_path))
    make(project, env, "backup")
    result = backup_verify(project, env, check=False)
    assert result.returncode != 0
    verdict = result.stdout.strip().splitlines()[-1]
    assert verdict.startswith("backup-verify: FAILED"), result.stdout
    assert "lacks migrations" in verdict
