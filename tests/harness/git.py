"""git as the tests use it: one identity, commits without hooks."""

from __future__ import annotations

from pathlib import Path

from harness.commands import run

# Every commit the tests make is by this identity.
IDENTITY = ["-c", "user.name=Keel Tests", "-c", "user.email=tests@keel.invalid"]


def git_commit_all(repo: Path, message: str) -> None:
    if not (repo / ".git").exists():
        run(["git", "init", "--quiet", "--initial-branch=main"], cwd=repo)
    run(["git", "add", "--all"], cwd=repo)
    run(
        ["git", *IDENTITY, "commit", "--quiet", "--no-verify", "--message", message],
        cwd=repo,
    )
