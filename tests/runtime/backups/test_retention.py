"""Runtime tier: which backups retention keeps, and the off-site hook."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from harness.backups import DAY, backup_env, backup_files, fake_backup, make
from harness.commands import run

pytestmark = pytest.mark.xdist_group("backups")


@pytest.mark.parametrize(
    ("keep_days", "keep_count", "kept_ages"),
    [
        ("0", "3", [0.5, 2]),  # by count: the new backup and the two newest
        ("7", "0", [0.5, 2, 5, 6.9]),  # by age: everything under 7 days
        ("7", "3", [0.5, 2]),  # both limits: whichever is stricter
        ("0", "0", [0.5, 2, 5, 6.9, 8, 30, 400]),  # no limit: nothing deleted
        ("1", "1", []),  # only the newest, which is never deleted
    ],
)
def test_retention_deletes_only_what_is_past_the_limits(
    project: Path,
    source: tuple[str, Path],
    tmp_path: Path,
    keep_days: str,
    keep_count: str,
    kept_ages: list[float],
) -> None:
    database, _ = source
    ages = [0.5, 2, 5, 6.9, 8, 30, 400]
    made = {age: fake_backup(tmp_path, database, age) for age in ages}
    # Another database's backups and unrelated files share the directory.
    others = {fake_backup(tmp_path, f"{database}_other", 400)}
    (tmp_path / "notes.txt").write_text("not a backup")

    env = backup_env(
        project,
        database,
        BACKUP_DIR=str(tmp_path),
        BACKUP_KEEP_DAYS=keep_days,
        BACKUP_KEEP_COUNT=keep_count,
    )
    output = make(project, env, "backup").stdout
    new = output.strip().splitlines()[-1].removeprefix(f"backup: done: {tmp_path}/")

    expected = {new.removesuffix(".dump")} | {made[age] for age in kept_ages} | others
    remaining = {name.rsplit(".", 1)[0] for name in backup_files(tmp_path)}
    assert remaining == expected | {"notes"}
    for base in expected:
        for suffix in (".dump", ".rows", ".sha256"):
            assert (tmp_path / f"{base}{suffix}").exists()
    assert output.count("deleted ") == len(ages) - len(kept_ages)


def test_retention_keeps_the_newest_and_the_new_backup_whatever_the_clock(
    project: Path, source: tuple[str, Path], tmp_path: Path
) -> None:
    """A backup named a day ahead (a clock that ran fast, since corrected) is
    the newest by name; the one just made ranks second. Both stay."""
    database, _ = source
    older = [fake_backup(tmp_path, database, age) for age in (3, 10)]
    ahead = fake_backup(tmp_path, database, -1)
    for path in tmp_path.glob(f"{ahead}.*"):
        os.utime(path, (time.time() - 30 * DAY,) * 2)

    env = backup_env(
        project,
        database,
        BACKUP_DIR=str(tmp_path),
        BACKUP_KEEP_DAYS="7",
        BACKUP_KEEP_COUNT="1",
    )
    output = make(project, env, "backup").stdout
    new = output.strip().splitlines()[-1].removeprefix(f"backup: done: {tmp_path}/")

    remaining = {name.rsplit(".", 1)[0] for name in backup_files(tmp_path)}
    assert remaining == {ahead, new.removesuffix(".dump")}
    assert all(f"{name}.dump (not among the newest 1)" in output for name in older)


def test_the_off_site_hook_gets_the_files_and_its_failure_is_reported(
    project: Path, source: tuple[str, Path], tmp_path: Path
) -> None:
    database, _ = source
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    backups = tmp_path / "backups"
    backups.mkdir()
    old = fake_backup(backups, database, 30)
    env = backup_env(
        project,
        database,
        BACKUP_DIR=str(backups),
        BACKUP_KEEP_DAYS="7",
        BACKUP_OFFSITE_COMMAND=f'cp -- "$@" {offsite}/',
    )
    run(["scripts/backup_db.sh"], cwd=project, env=env)
    copied = backup_files(offsite)
    assert [name.rsplit(".", 1)[1] for name in copied] == ["dump", "rows", "sha256"]
    assert backup_files(offsite) == [
        name for name in backup_files(backups) if not name.startswith(old)
    ]

    old = fake_backup(backups, database, 30)
    time.sleep(1)  # backups are named to the second
    env["BACKUP_OFFSITE_COMMAND"] = "exit 3"
    result = run(["scripts/backup_db.sh"], cwd=project, env=env, check=False)
    assert result.returncode == 1
    assert "off-site copy failed" in result.stderr
    assert f"{old}.dump" in backup_files(backups), "retention ran after a failure"
    assert len(list(backups.glob(f"{database}-*.sha256"))) == 3
