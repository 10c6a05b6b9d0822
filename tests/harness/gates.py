"""A generated project's own gates, run as its user runs them."""

from __future__ import annotations

import re
import subprocess

NOX = ["uv", "run", "--frozen", "nox"]
PRE_COMMIT = ["uv", "run", "--frozen", "pre-commit"]
# What plain `nox` runs in a generated project: every gate but format.
DEFAULT_GATES = ("lint", "typing", "security", "audit", "tests", "deploy_check",
                 "alerts", "migrations", "docs", "e2e")  # fmt: skip
# What the generated CI runs besides: `lighthouse` serves the site with the
# production settings, so it needs PostgreSQL and Redis, which CI has as
# service containers and plain `nox` on a laptop may not.
CI_ONLY_SESSIONS = ("lighthouse",)


def assert_succeeded(
    gates: subprocess.CompletedProcess[str], sessions: tuple[str, ...] | list[str]
) -> str:
    """Check nox's closing summary names each session a success; return it."""
    summary = gates.stderr[gates.stderr.rfind("Ran ") :]
    for session in sessions:
        assert f"* {session}: success" in summary, summary
    return summary


# A pre-commit result line: "<hook name>....Passed" (or Failed, or Skipped).
HOOK_RESULT = re.compile(r"^(?P<name>\S.*?)\.{3,}.*?(?P<status>Passed|Failed|Skipped)$")


def hook_results(output: str) -> dict[str, str]:
    """Each pre-commit hook's result in its output, by the hook's name."""
    return {
        m["name"]: m["status"] for m in map(HOOK_RESULT.match, output.splitlines()) if m
    }


def failed(hooks: dict[str, str]) -> set[str]:
    return {name for name, status in hooks.items() if status == "Failed"}
