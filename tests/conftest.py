"""Shared helpers: render the template, run commands, talk to local services."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template"
COPIER = [sys.executable, "-m", "copier"]
VERSIONS: dict[str, str] = next(
    doc for doc in yaml.safe_load_all((ROOT / "includes" / "versions.yml").read_text())
)["versions"]["default"]

# Answers that differ from every default, for the "non-default" renders.
CUSTOM_ANSWERS = {
    "project_name": "Harbour Logistics",
    "project_slug": "harbour",
    "description": "Ships, tracked.",
    "author_name": "Ada Quay",
    "author_email": "ada@harbour.example.org",
    "domain_name": "harbour.example.org",
    "python_version": "3.12",
    "time_zone": "Europe/Paris",
}


@dataclass(frozen=True)
class Option:
    """A question of copier.yml that adds files, settings and dependencies.

    ``on`` is the answer that adds them and ``off`` the one that leaves no
    trace of them; ``trace`` is a word that only the ``on`` answer puts into
    the project.
    """

    on: str
    off: str
    trace: str


OPTIONS = {
    "use_sentry": Option("true", "false", "sentry"),
    "use_docker": Option("true", "false", "docker"),
    "use_celery": Option("true", "false", "celery"),
    "api": Option("drf", "none", "rest_framework"),
    "email": Option("anymail", "smtp", "anymail"),
}


def options(*on: str) -> dict[str, str]:
    """Answers that switch on the named options and every other one off."""
    assert set(on) <= set(OPTIONS), on
    return {
        name: option.on if name in on else option.off
        for name, option in OPTIONS.items()
    }


ALL_OFF = options()
ALL_ON = options(*OPTIONS)


def questions() -> dict[str, dict[str, object]]:
    """copier.yml's questions (its last YAML document; the others are settings
    and `!include`s, which yaml cannot read)."""
    last = (ROOT / "copier.yml").read_text().split("\n---\n")[-1]
    return dict(yaml.safe_load(last))


def default_answer(name: str) -> str:
    """copier.yml's default for a question, spelled as on the command line."""
    return str(questions()[name]["default"]).lower()


# Set by the nox session that runs these tests; a generated project must get
# its own .venv, never the template's test environment.
LEAKY_VARIABLES = ("UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "VIRTUAL_ENV", "CONDA_PREFIX")
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in LEAKY_VARIABLES}


def run(
    cmd: Sequence[str | Path],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    check: bool = True,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command; on an unexpected exit, fail with everything it printed."""
    result = subprocess.run(
        [str(part) for part in cmd],
        cwd=cwd,
        env={**CLEAN_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {result.returncode} in {cwd}\n"
            f"--- stdout ---\n{result.stdout[-20000:]}\n"
            f"--- stderr ---\n{result.stderr[-20000:]}",
            pytrace=False,
        )
    return result


def copier_copy(
    dst: Path,
    answers: dict[str, str] | None = None,
    *,
    src: Path = ROOT,
    vcs_ref: str = "HEAD",
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    data = [arg for k, v in (answers or {}).items() for arg in ("--data", f"{k}={v}")]
    return run(
        [*COPIER, "copy", "--defaults", "--vcs-ref", vcs_ref, *data, src, dst],
        cwd=dst.parent,
        check=check,
    )


def generate(tmp_path: Path, answers: dict[str, str] | None = None) -> Path:
    """Render the template into tmp_path/project."""
    project = tmp_path / "project"
    copier_copy(project, answers)
    return project


def git_commit_all(repo: Path, message: str) -> None:
    if not (repo / ".git").exists():
        run(["git", "init", "--quiet", "--initial-branch=main"], cwd=repo)
    run(["git", "add", "--all"], cwd=repo)
    run(
        ["git", "-c", "user.name=Keel Tests", "-c", "user.email=tests@keel.invalid",
         "commit", "--quiet", "--no-verify", "--message", message],
        cwd=repo,
    )  # fmt: skip


def install(project: Path) -> None:
    """What `make install` does, minus the hooks: the locked virtualenv."""
    run(["uv", "sync", "--locked"], cwd=project)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the local server; dropped afterwards."""
    name = f"keel_{uuid.uuid4().hex[:12]}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc"]
    run([*psql, f"CREATE DATABASE {name}"], cwd=ROOT)
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], cwd=ROOT)


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed: .ci/run installs it", pytrace=False)
    return path


# Redis database 3 belongs to the runtime tier's production environments.
RUNTIME_REDIS_URL = "redis://127.0.0.1:6379/3"


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """A complete production environment for a generated project, as a host
    gives it: email=smtp reads EMAIL_URL, email=anymail EMAIL_PROVIDER and
    EMAIL_API_KEY; each ignores the others."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,example.com",
        "DATABASE_URL": database_url,
        "REDIS_URL": RUNTIME_REDIS_URL,
        "WEB_CONCURRENCY": "2",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "EMAIL_PROVIDER": "postmark",
        "EMAIL_API_KEY": secrets.token_urlsafe(24),
        **extra,
    }
