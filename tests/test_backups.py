"""Runtime tier: the generated backup scripts against the local PostgreSQL.

A populated database is backed up once per module. Each test works on its own
databases and on copies of that backup, so none depends on another's leftovers.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import conftest
import pytest
from conftest import ROOT, generate, install, require, run

pytestmark = [pytest.mark.runtime, pytest.mark.xdist_group("backups")]

SERVER = "postgres://postgres@127.0.0.1:5432/{name}"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-X", "-q", "-A", "-t",
        "-v", "ON_ERROR_STOP=1"]  # fmt: skip
DAY = 24 * 60 * 60

# Users with groups, groups with permissions, sessions and admin log entries:
# rows in several tables, foreign keys between them, and non-ASCII text.
POPULATE = """
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.utils import timezone
from datetime import timedelta

User = get_user_model()
groups = [Group.objects.create(name=f"crew {n}") for n in range(3)]
groups[0].permissions.set(Permission.objects.order_by("id")[:5])
users = []
for n in range(40):
    user = User.objects.create_user(
        f"sailor{n}", email=f"sailor{n}@example.org", first_name=f"Zoë {n} ⚓"
    )
    user.groups.add(groups[n % 3])
    users.append(user)
user_type = ContentType.objects.get_for_model(User)
for user in users[:10]:
    LogEntry.objects.create(
        user=user, content_type=user_type, object_id=str(user.pk),
        object_repr=str(user), action_flag=ADDITION, change_message="[]",
    )
for n in range(7):
    Session.objects.create(
        session_key=f"session{n:032d}", session_data="e30",
        expire_date=timezone.now() + timedelta(days=1),
    )
"""


def psql(database: str, sql: str, *, check: bool = True) -> str:
    return run([*PSQL, "-d", database, "-c", sql], cwd=ROOT, check=check).stdout


def tables(database: str) -> list[str]:
    return psql(
        database,
        "SELECT format('%I.%I', table_schema, table_name)"
        " FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        " AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    ).split()


def fingerprint(database: str) -> dict[str, str]:
    """Each table's row count and a checksum of its rows, in a stable order."""
    return {
        table: psql(
            database,
            f"SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n'"
            f" ORDER BY t::text), '')) FROM {table} t",
        ).strip()
        for table in tables(database)
    }


@pytest.fixture(scope="module")
def new_database() -> Iterator[Callable[[], str]]:
    """Creates empty databases on the local server; drops them all afterwards."""
    require("pg_dump")
    created: list[str] = []

    def create() -> str:
        name = f"keel_{uuid.uuid4().hex[:12]}"
        psql("postgres", f"CREATE DATABASE {name}")
        created.append(name)
        return name

    yield create
    for name in created:
        psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(tmp_path_factory.mktemp("backups"))
    install(project)
    return project


def production_env(database: str, **extra: str) -> dict[str, str]:
    """What the scripts and manage.py see on a production host."""
    return conftest.production_env(SERVER.format(name=database), **extra)


def make(project: Path, env: dict[str, str], *args: str, check: bool = True):
    return run(
        ["make", "--no-print-directory", *args], cwd=project, env=env, check=check
    )


def backup_files(directory: Path) -> list[str]:
    """Every file in a backup directory, hidden temporary files included."""
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.fixture(scope="module")
def source(
    project: Path,
    new_database: Callable[[], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, Path]:
    """A migrated, populated database and the directory holding its one backup."""
    database = new_database()
    backups = tmp_path_factory.mktemp("source-backups")
    env = production_env(database, BACKUP_DIR=str(backups))
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


def copy_backup(backups: Path, destination: Path) -> Path:
    """Copy the backup's three files; return the path of the copied dump."""
    destination.mkdir(exist_ok=True)
    for path in backups.iterdir():
        shutil.copy2(path, destination)
    return next(destination.glob("*.dump"))


def rewrite_checksums(dump: Path) -> None:
    """Make the checksum file agree with a damaged dump, as if it were made so."""
    lines = []
    for line in dump.with_suffix(".sha256").read_text().splitlines():
        _, name = line.split("  ")
        digest = run(["sha256sum", dump.parent / name], cwd=ROOT).stdout.split()[0]
        lines.append(f"{digest}  {name}\n")
    dump.with_suffix(".sha256").write_text("".join(lines))


def backup_verify(project: Path, env: dict[str, str], *, check: bool = True):
    """Run `make backup-verify`; fail if its scratch database is left behind."""
    result = make(project, env, "backup-verify", check=check)
    created = re.findall(r"creating the scratch database (\w+)", result.stdout)
    assert len(created) == 1, result.stdout
    databases = psql("postgres", "SELECT datname FROM pg_database").split()
    assert created[0] not in databases, f"{created[0]} was left behind"
    return result


def test_restore_into_a_new_database_matches_every_table(
    project: Path, source: tuple[str, Path], new_database: Callable[[], str]
) -> None:
    database, backups = source
    target = new_database()
    dump = next(backups.glob("*.dump"))
    env = production_env(target)
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
    result = backup_verify(project, production_env(database, BACKUP_DIR=str(backups)))
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

    env = production_env(database, BACKUP_DIR=str(dump.parent))
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
    env = production_env(database, BACKUP_DIR=str(dump.parent))
    result = backup_verify(project, env, check=False)
    assert result.returncode != 0
    assert "public.users_user\t41" in result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("backup-verify: FAILED")
    assert "row counts differ" in result.stdout


def restored_copy(
    project: Path, source: tuple[str, Path], new_database: Callable[[], str]
) -> str:
    """A new database holding the source's backup, restored by `make restore`."""
    _, backups = source
    copy = new_database()
    dump = next(backups.glob("*.dump"))
    make(project, production_env(copy), "restore", f"BACKUP={dump}")
    return copy


def test_backup_verify_fails_when_a_migration_is_missing(
    project: Path,
    source: tuple[str, Path],
    new_database: Callable[[], str],
    tmp_path: Path,
) -> None:
    behind = restored_copy(project, source, new_database)
    psql(behind, "DELETE FROM django_migrations WHERE app = 'sessions'")
    env = production_env(behind, BACKUP_DIR=str(tmp_path))
    make(project, env, "backup")
    result = backup_verify(project, env, check=False)
    assert result.returncode != 0
    verdict = result.stdout.strip().splitlines()[-1]
    assert verdict.startswith("backup-verify: FAILED"), result.stdout
    assert "lacks migrations" in verdict


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
        production_env(target),
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
        project, production_env(target), "restore", f"BACKUP={dump}", check=False
    )
    assert result.returncode != 0
    assert f"{target} is not empty" in result.stderr
    assert "--force" in result.stderr
    assert tables(target) == ["public.notes"]

    make(project, production_env(target), "restore", "FORCE=1", f"BACKUP={dump}")
    assert psql(target, "SELECT note FROM notes").split() == ["mine"]
    restored = fingerprint(target)
    del restored["public.notes"]
    assert restored == fingerprint(database)


def fake_backup(directory: Path, database: str, age_days: float) -> str:
    """Three files named like a backup made age_days ago, with matching mtimes."""
    made = time.time() - age_days * DAY
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(made))
    for suffix in (".dump", ".rows", ".sha256"):
        path = directory / f"{database}-{stamp}{suffix}"
        path.write_text("fake")
        os.utime(path, (made, made))
    return f"{database}-{stamp}"


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

    env = production_env(
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

    env = production_env(
        database, BACKUP_DIR=str(tmp_path), BACKUP_KEEP_DAYS="7", BACKUP_KEEP_COUNT="1"
    )
    output = make(project, env, "backup").stdout
    new = output.strip().splitlines()[-1].removeprefix(f"backup: done: {tmp_path}/")

    remaining = {name.rsplit(".", 1)[0] for name in backup_files(tmp_path)}
    assert remaining == {ahead, new.removesuffix(".dump")}
    assert all(f"{name}.dump (not among the newest 1)" in output for name in older)


@pytest.mark.parametrize(
    ("database_url", "message"),
    [
        (None, "DATABASE_URL is not set"),
        ("", "DATABASE_URL is not set"),
        (
            "sqlite:///db.sqlite3",
            "DATABASE_URL must be a postgres:// or postgresql:// URL",
        ),
        ("postgres://postgres@127.0.0.1:9/app", "cannot connect to the database"),
        ("postgres://postgres@127.0.0.1:5432/keel_no_such_db", "cannot connect"),
    ],
    ids=["unset", "empty", "sqlite", "unreachable", "missing-database"],
)
def test_backup_fails_clearly_and_leaves_no_file(
    project: Path, tmp_path: Path, database_url: str | None, message: str
) -> None:
    backups = tmp_path / "backups"
    env = {"BACKUP_DIR": str(backups)}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    started = time.monotonic()
    result = run(["scripts/backup_db.sh"], cwd=project, env=env, check=False)
    assert time.monotonic() - started < 15
    assert result.returncode == 1
    assert f"backup: error: {message}" in result.stderr
    assert backup_files(backups) == []


def test_a_failing_pg_dump_leaves_no_partial_file(
    project: Path, source: tuple[str, Path], tmp_path: Path
) -> None:
    """pg_dump dies halfway (a full disk, a dropped connection): nothing is kept."""
    database, _ = source
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    failing = fake_bin / "pg_dump"
    failing.write_text(
        '#!/usr/bin/env bash\n'
        'while [[ $# -gt 0 ]]; do [[ $1 == --file ]] && out=$2; shift; done\n'
        'head -c 4096 /dev/urandom >"$out"\n'
        'echo "pg_dump: error: could not write to output file: No space left" >&2\n'
        'exit 1\n'
    )  # fmt: skip
    failing.chmod(0o755)
    backups = tmp_path / "backups"
    env = production_env(
        database, BACKUP_DIR=str(backups), PATH=f"{fake_bin}:{os.environ['PATH']}"
    )
    result = run(["scripts/backup_db.sh"], cwd=project, env=env, check=False)
    assert result.returncode == 1
    assert "pg_dump failed" in result.stderr
    assert backup_files(backups) == []


def test_the_password_never_reaches_a_command_line(
    project: Path, source: tuple[str, Path], tmp_path: Path
) -> None:
    """`ps` shows every process's arguments to every user of the host: the
    scripts give libpq the URL's password in PGPASSWORD instead."""
    database, _ = source
    wrappers, calls = tmp_path / "bin", tmp_path / "calls"
    wrappers.mkdir()
    for tool in ("psql", "pg_dump", "pg_restore"):
        wrapper = wrappers / tool
        # One line per call: the SQL arguments span several.
        wrapper.write_text(
            "#!/usr/bin/env bash\n"
            'arguments="$*"\n'
            f"printf '%s\\n' \"{tool} ${{arguments//$'\\n'/ }}"
            f' PGPASSWORD=${{PGPASSWORD-}}" >>{calls}\n'
            f'exec {require(tool)} "$@"\n'
        )
        wrapper.chmod(0o755)
    env = production_env(
        database,
        DATABASE_URL=f"postgres://postgres:S3cret%40pw@127.0.0.1:5432/{database}",
        BACKUP_DIR=str(tmp_path / "backups"),
        PATH=f"{wrappers}:{os.environ['PATH']}",
    )
    run(["scripts/backup_db.sh"], cwd=project, env=env)
    backup_verify(project, env)

    lines = calls.read_text().splitlines()
    assert {line.split()[0] for line in lines} == {"psql", "pg_dump", "pg_restore"}
    for line in lines:
        arguments, password = line.rsplit(" PGPASSWORD=", 1)
        assert "S3cret" not in arguments, line
        assert password == "S3cret@pw", line


def test_the_off_site_hook_gets_the_files_and_its_failure_is_reported(
    project: Path, source: tuple[str, Path], tmp_path: Path
) -> None:
    database, _ = source
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    backups = tmp_path / "backups"
    backups.mkdir()
    old = fake_backup(backups, database, 30)
    env = production_env(
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
