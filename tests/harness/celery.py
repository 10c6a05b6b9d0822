"""Celery's command line and what its tasks touch, for the runtime tier."""

from __future__ import annotations

from pathlib import Path

from harness.commands import run


def celery(project: Path, *args: str) -> list[str | Path]:
    return [project / ".venv/bin/celery", "--app", "config.celery", *args]


def session_keys(database_url: str) -> set[str]:
    query = "SELECT session_key FROM django_session"
    return set(
        run(["psql", database_url, "-qAtc", query], cwd=Path.cwd()).stdout.split()
    )
