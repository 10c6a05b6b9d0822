# /// script
# requires-python = ">=3.12"
# dependencies = ["nox==2026.10.20"]
# ///
"""The template's own sessions: `uv run noxfile.py` runs lint, docs and every test tier.

`uv run noxfile.py -s tests -- -m fast` runs one tier; see README.md.
"""

from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "docs", "tests"]

ROOT = Path(__file__).parent
CODE = ["noxfile.py", "tests", "benchmarks", "scripts"]


def sync(session: nox.Session, *groups: str) -> None:
    session.run_install(
        "uv",
        "sync",
        "--locked",
        *(f"--only-group={group}" for group in groups),
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """black, isort and flake8 on the template's own Python code."""
    sync(session, "lint")
    session.run("black", "--check", "--diff", *CODE)
    session.run("isort", "--check-only", "--diff", *CODE)
    session.run("flake8", *CODE)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the template's documentation strictly."""
    sync(session, "docs")
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        session.create_tmp(),
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


def pytest_arguments(posargs: list[str]) -> list[str]:
    """pytest's arguments: posargs (or every core), always in `--dist loadgroup`.

    The tests that share a service (a Redis queue, a release repository) are
    in one xdist_group, and loadgroup is what keeps a group on one worker; so
    it stays when posargs replace the defaults, unless they choose a
    distribution mode themselves or switch xdist off.
    """
    args = list(posargs) or ["-n", "auto"]
    chosen = any(
        a in ("--dist", "-d", "no:xdist") or a.startswith("--dist=") for a in args
    )
    return args if chosen else ["--dist", "loadgroup", *args]


@nox.session
def tests(session: nox.Session) -> None:
    """Every test tier, spread over the machine's cores with pytest-xdist."""
    sync(session, "test")
    session.run("pytest", *pytest_arguments(session.posargs))


@nox.session(default=False)
def lock(session: nox.Session) -> None:
    """Re-lock the generated project's dependencies into template/uv.lock.jinja.

    Run after changing a version in includes/versions.yml or a dependency in
    template/pyproject.toml.jinja, then review and commit the result. Every
    combination of the options that add dependencies is locked, and the locks
    are merged into one template (scripts/relock.py says how). Pass
    `-- --upgrade` to move every unpinned dependency to its newest release.
    """
    sync(session, "test")
    session.run("python", str(ROOT / "scripts" / "relock.py"), *session.posargs)


if __name__ == "__main__":
    nox.main()
