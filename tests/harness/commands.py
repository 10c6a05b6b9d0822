"""Run commands, find tools and ports: the ground every tier stands on."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

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


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed: .ci/run installs it", pytrace=False)
    return path


# Chromium-based browsers, in the order the generated noxfile looks for them:
# Debian's Chromium here, Google Chrome on GitHub's runners.
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str:
    """The installed Chromium-based browser the generated projects would use."""
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    pytest.fail("no Chromium is installed: .ci/run installs Debian's", pytrace=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
