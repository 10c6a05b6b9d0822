"""Runtime tier: backups that fail say why and leave nothing; secrets stay hidden."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from harness.backups import backup_env, backup_files, backup_verify
from harness.commands import require, run
from harness.processes import black_holed_port, silent_port

pytestmark = pytest.mark.xdist_group("backups")


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
    env = backup_env(
        project,
        database,
        BACKUP_DIR=str(backups),
        PATH=f"{fake_bin}:{os.environ['PATH']}",
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
    env = backup_env(
        project,
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


@pytest.mark.parametrize("server", ["hung", "black-holed"])
def test_backup_gives_up_on_a_server_that_never_answers(
    project: Path, tmp_path: Path, server: str
) -> None:
    """A server that takes the connection and never answers, or a port that
    drops every SYN: the backup stops after DATABASE_CONNECT_TIMEOUT, no
    sooner (a refused port fails at once) and not much later."""
    timeout = 3
    hold = silent_port() if server == "hung" else black_holed_port()
    with hold as port:
        env = {
            "BACKUP_DIR": str(tmp_path / "backups"),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/app",
            "DATABASE_CONNECT_TIMEOUT": str(timeout),
        }
        started = time.monotonic()
        # Without the timeout, libpq would wait for ever: run() gives up at 60 s.
        result = run(
            ["scripts/backup_db.sh"], cwd=project, env=env, check=False, timeout=60
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert "backup: error: cannot connect to the database" in result.stderr
    assert timeout - 0.5 <= elapsed < timeout + 10, f"gave up after {elapsed:.1f}s"
    assert backup_files(tmp_path / "backups") == []
