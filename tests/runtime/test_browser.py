"""Runtime tier: a fresh project's browser journeys (`nox -s e2e`) pass with
this machine's Chromium, and each check they make can fail: an unlabelled
field fails axe-core, an inline script fails the Content Security Policy,
and no browser at all fails with one line that says how to install one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from harness.commands import browser, require, run
from harness.gates import NOX
from harness.pages import added_to_home_page
from harness.render import generate, install

pytestmark = pytest.mark.xdist_group("runtime")

E2E = [*NOX, "-s", "e2e"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    browser()
    project = generate(tmp_path_factory.mktemp("browser"))
    install(project)
    return project


def test_the_journeys_pass_with_screenshots_of_every_page(project: Path) -> None:
    result = run(E2E, cwd=project, timeout=900)
    assert "4 passed" in result.stdout, result.stdout
    shots = sorted((project / "test-results/screenshots").rglob("*.png"))
    names = {shot.name.split("-", 1)[1] for shot in shots}
    assert {"home.png", "sign-up.png", "second-factor.png", "admin.png"} <= names
    assert all(shot.stat().st_size > 1000 for shot in shots)


def test_an_unlabelled_field_fails_the_accessibility_check(project: Path) -> None:
    with added_to_home_page(project, '<input type="text" name="q">'):
        result = run([*E2E, "--", "-k", "test_home"], cwd=project, check=False)
    assert result.returncode != 0, result.stdout
    assert "axe on http://" in result.stdout, result.stdout
    assert "label (critical): Form elements must have labels" in result.stdout


def test_an_inline_script_fails_the_content_security_policy(project: Path) -> None:
    with added_to_home_page(project, "<script>document.title = 'x';</script>"):
        result = run([*E2E, "--", "-k", "test_home"], cwd=project, check=False)
    assert result.returncode != 0, result.stdout
    assert "CSP refused script-src-elem inline" in result.stdout, result.stdout


def test_without_a_browser_the_session_fails_with_one_line(
    project: Path, tmp_path: Path
) -> None:
    """No Chromium on PATH, no E2E_BROWSER, no Playwright download."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("uv", "python3.12", "python3.13"):
        found = require(tool)
        (tools / tool).symlink_to(found)
    env = {
        "PATH": str(tools),
        "E2E_BROWSER": "",
        "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-browsers"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    result = run(E2E, cwd=project, env=env, check=False)
    assert result.returncode != 0
    [line] = [row for row in result.stderr.splitlines() if "No browser" in row]
    assert "install Chromium (`apt install chromium`" in line, result.stderr
    assert "passed" not in result.stdout
    assert shutil.which("chromium", path=str(tools)) is None
