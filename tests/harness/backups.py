"""The generated backup scripts and the databases they work on."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from harness import services
from harness.commands import ROOT, run

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


def backup_env(project: Path, database: str, **extra: str) -> dict[str, str]:
    """What the scripts and manage.py of ``project`` see on a production host,
    for a database of the local server named ``database``."""
    return services.production_env(
        project, services.POSTGRES_SERVER.format(name=database), **extra
    )


def make(project: Path, env: dict[str, str], *args: str, check: bool = True):
    return run(
        ["make", "--no-print-directory", *args], cwd=project, env=env, check=check
    )


def backup_files(directory: Path) -> list[str]:
    """Every file in a backup directory, hidden temporary files included."""
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


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


def restored_copy(
    project: Path, source: tuple[str, Path], new_database: Callable[[], str]
) -> str:
    """A new database holding the source's backup, restored by `make restore`."""
    _, backups = source
    copy = new_database()
    dump = next(backups.glob("*.dump"))
    make(project, backup_env(project, copy), "restore", f"BACKUP={dump}")
    return copy


def fake_backup(directory: Path, database: str, age_days: float) -> str:
    """Three files named like a backup made age_days ago, with matching mtimes."""
    made = time.time() - age_days * DAY
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(made))
    for suffix in (".dump", ".rows", ".sha256"):
        path = directory / f"{database}-{stamp}{suffix}"
        path.write_text("fake")
        os.utime(path, (made, made))
    return f"{database}-{stamp}"
