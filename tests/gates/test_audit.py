"""Gates tier: `nox -s audit` passes only when pip-audit checked every locked package.

PyPI's vulnerability data is incomplete on this machine, so the real service
makes the gate fail with its reason, and the pass is proven against a local
stand-in for OSV (tests/vulnerability_service.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from harness.commands import free_port, require, run
from harness.render import generate, install
from harness.vulnerability import vulnerability_service

pytestmark = pytest.mark.xdist_group("audit")

AUDIT = ["uv", "run", "--frozen", "nox", "-s", "audit"]
# uv, except that `uv export` writes an empty requirements file.
UV_EXPORTING_NOTHING = """#!/bin/sh
if [ "$1" = export ]; then
    while [ "$#" -gt 0 ]; do
        if [ "$1" = --output-file ]; then : > "$2"; exit 0; fi
        shift
    done
fi
exec {uv} "$@"
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(tmp_path_factory.mktemp("audit"))
    install(project)
    return project


def exported(project: Path) -> dict[str, str]:
    """Every package `uv export` lists for the audit, with its requirement line."""
    output = run(
        ["uv", "export", "--locked", "--all-groups", "--no-emit-project",
         "--no-hashes", "--no-annotate", "--no-header"],
        cwd=project,
    ).stdout  # fmt: skip
    lines = [line for line in output.splitlines() if line[:1].isalnum()]
    return {line.split("==")[0]: line for line in lines}


def test_without_vulnerability_data_the_gate_fails_and_says_why(project: Path) -> None:
    result = run(AUDIT, cwd=project, check=False)
    assert result.returncode != 0, result.stderr
    verdict = re.search(
        r"(\d+) of (\d+) locked packages could not be audited: (.+)\.\n", result.stderr
    )
    assert verdict, result.stderr
    skipped, total = int(verdict[1]), int(verdict[2])
    assert 0 < skipped <= total, verdict[0]
    names = sorted(exported(project))
    assert verdict[3].startswith(", ".join(names[:5])), verdict[0]
    assert "No vulnerability data was reachable for them" in result.stderr
    assert "pip-audit says: Dependency not found on PyPI" in result.stderr
    assert "Re-run `nox -s audit` once the vulnerability service" in result.stderr


def test_the_gate_passes_when_every_package_was_checked(project: Path) -> None:
    with vulnerability_service() as service:
        result = run(AUDIT, cwd=project, env=service.env)
    checked = re.search(r"pip-audit checked all (\d+) locked packages\.", result.stderr)
    assert checked, result.stderr
    asked = {name for name, _ in service.queries}
    assert int(checked[1]) == len(service.queries) == len(asked)
    packages = exported(project)
    assert asked <= set(packages)
    # Only a package for another platform is left out (tzdata on Windows).
    assert all(";" in packages[name] for name in set(packages) - asked), asked


def test_a_known_vulnerability_fails_the_gate_and_names_the_fix(project: Path) -> None:
    with vulnerability_service({"django": "KEEL-2026-1"}) as service:
        result = run(AUDIT, cwd=project, env=service.env, check=False)
    assert result.returncode != 0, result.stderr
    version = dict(service.queries)["django"]
    assert f"django {version}: KEEL-2026-1 (fixed in {version}.post1)" in result.stderr
    assert "uv lock --upgrade-package <name>" in result.stderr


def test_an_unreachable_service_fails_the_gate(project: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1/query"
    env = {"PIP_AUDIT_VULNERABILITY_SERVICE": "osv", "PIP_AUDIT_OSV_URL": closed}
    result = run(AUDIT, cwd=project, env=env, check=False)
    assert result.returncode != 0, result.stderr
    assert "pip-audit wrote no report: it could not reach" in result.stderr


def test_an_empty_export_fails_the_gate(project: Path, tmp_path: Path) -> None:
    shim = tmp_path / "uv"
    shim.write_text(UV_EXPORTING_NOTHING.format(uv=require("uv")))
    shim.chmod(0o755)
    # nox finds uv through UV, which `uv run` would set to the real uv.
    path = f"{tmp_path}{os.pathsep}{os.environ['PATH']}"
    with vulnerability_service() as service:
        env = {**service.env, "UV": str(shim), "PATH": path}
        nox = [project / ".venv/bin/nox", "-s", "audit"]
        result = run(nox, cwd=project, env=env, check=False)
    assert result.returncode != 0, result.stderr
    assert "uv export listed no locked packages" in result.stderr
    assert service.queries == []
