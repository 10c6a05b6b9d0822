"""Fast tier: every tool is pinned once, and the pins agree everywhere."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import yaml

from harness.commands import ROOT
from harness.render import IMAGES, VERSIONS
from harness.workflows import commands, load, run_scripts, steps, workflow_files

# How CI must start nox: the version locked in uv.lock, at the pin.
LOCKED_NOX = ["uv", "run", "--locked", "nox"]


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        if isinstance(requirement, str) and "==" in requirement:
            name, version = requirement.split("==")
            found[name.lower()] = version
    return found


def test_tool_versions_agree_everywhere(rendered: Path) -> None:
    """includes/versions.yml feeds pyproject, pre-commit and the lock file."""
    pyproject = tomllib.loads((rendered / "pyproject.toml").read_text())
    declared: dict[str, str] = {}
    for group in pyproject["dependency-groups"].values():
        declared.update(pins(group))
    hooks = yaml.safe_load((rendered / ".pre-commit-config.yaml").read_text())
    hooked: dict[str, str] = {}
    for repo in hooks["repos"]:
        for hook in repo["hooks"]:
            hooked.update(pins(hook.get("additional_dependencies", [])))
    lock = tomllib.loads((rendered / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}

    expected = {name.lower(): version for name, version in VERSIONS.items()}
    for name, version in declared.items():
        assert expected[name] == version, f"pyproject pins {name}=={version}"
        assert locked[name] == version, f"uv.lock has {name}=={locked[name]}"
    for name, version in hooked.items():
        assert expected[name] == version, f"pre-commit pins {name}=={version}"
    assert {"black", "isort", "flake8", "bandit"} <= set(hooked) & set(declared)


def uv_setups(root: Path) -> list[tuple[str, dict[str, str]]]:
    """(where, inputs) of every astral-sh/setup-uv step in root's workflows."""
    return [
        (f"{path.name}: job {job}", step.get("with", {}))
        for path in workflow_files(root)
        for job, step in steps(load(path))
        if step.get("uses", "").startswith("astral-sh/setup-uv@")
    ]


def test_ci_installs_the_pinned_tools(rendered: Path) -> None:
    """CI takes uv from includes/versions.yml and nox from uv.lock, nothing else."""
    answers = yaml.safe_load((rendered / ".copier-answers.yml").read_text())
    workflows = [load(path) for path in workflow_files(rendered)]
    jobs = sum(len(workflow["jobs"]) for workflow in workflows)
    setups = uv_setups(rendered)
    assert len(setups) == jobs >= 5, "every job sets up uv once"
    for where, inputs in setups:
        assert inputs["version"] == VERSIONS["uv"], where
        assert inputs["python-version"] == answers["python_version"], where

    nox_runs = [
        command
        for workflow in workflows
        for script in run_scripts(workflow)
        for command in commands(script)
        if any(re.match(r"nox\b", word) for word in command)
    ]
    assert len(nox_runs) >= 5
    for command in nox_runs:
        assert command[:4] == LOCKED_NOX, f"`{shlex.join(command)}`: not {LOCKED_NOX}"
    lock = tomllib.loads((rendered / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}
    assert locked["nox"] == VERSIONS["nox"]

    pyproject = tomllib.loads((rendered / "pyproject.toml").read_text())
    assert pyproject["tool"]["uv"]["required-version"] == f">={VERSIONS['uv']}"

    # Dependabot must not move a tool that pre-commit pins too.
    dependabot = yaml.safe_load((rendered / ".github/dependabot.yml").read_text())
    (uv_updates,) = [u for u in dependabot["updates"] if u["package-ecosystem"] == "uv"]
    ignored = {entry["dependency-name"] for entry in uv_updates["ignore"]}
    declared = {
        name
        for group in pyproject["dependency-groups"].values()
        for name in pins(group)
    }
    assert declared <= ignored <= set(VERSIONS), ignored ^ declared


USES = re.compile(
    r"^\s*(?:- )?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?P<comment>.*)$"
)


def test_actions_are_pinned_to_commits_with_their_tag(rendered: Path) -> None:
    """A full commit SHA, the tag in a comment, and one pin per action."""
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in workflow_files(rendered) + workflow_files(ROOT):
        for line in path.read_text().splitlines():
            if match := USES.match(line):
                where = f"{path.name}: {line.strip()}"
                assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), where
                tag = re.fullmatch(r" # (v\d+(?:\.\d+){2})", match["comment"])
                assert tag, f"{where}: no `# vX.Y.Z` comment"
                pins.setdefault(match["action"], set()).add((match["ref"], tag[1]))
    assert {"actions/checkout", "astral-sh/setup-uv"} <= set(pins)
    assert all(len(refs) == 1 for refs in pins.values()), pins


def pep_723_metadata(script: Path) -> dict[str, object]:
    """The inline script metadata of a Python script (PEP 723)."""
    block = re.search(
        r"(?m)^# /// script$\s(?P<content>(^#(| .*)$\s)+)^# ///$", script.read_text()
    )
    assert block, f"{script.name} has no `# /// script` block"
    lines = block["content"].splitlines(keepends=True)
    return tomllib.loads(
        "".join(line[2:] if line.startswith("# ") else line[1:] for line in lines)
    )


def test_template_repo_uses_the_same_shared_tools() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for group in pyproject["dependency-groups"].values():
        for name, version in pins(group).items():
            if name in VERSIONS:
                assert VERSIONS[name] == version, f"{name}: {version}"
    # The template's CI and `uv run noxfile.py` use the same uv and nox.
    setups = uv_setups(ROOT)
    assert setups, "the template's workflows set up no uv"
    for where, inputs in setups:
        assert inputs["version"] == VERSIONS["uv"], where
    script = pep_723_metadata(ROOT / "noxfile.py")
    assert script["dependencies"] == [f"nox=={VERSIONS['nox']}"]


IMAGE = re.compile(r"^\s*image:\s*(?P<ref>\S+)\s*$")
DIGEST_PINNED = re.compile(r"[a-z0-9/]+:[\w.-]+@sha256:[0-9a-f]{64}")


def image_references(root: Path) -> dict[str, set[str]]:
    """Every `image:` of the CI workflows and the Compose file, by file."""
    files = workflow_files(root) + [
        path for path in (root / "compose.yaml",) if path.exists()
    ]
    return {
        str(path.relative_to(root)): {
            match["ref"]
            for line in path.read_text().splitlines()
            if (match := IMAGE.match(line))
        }
        for path in files
    }


def test_service_images_are_pinned_by_digest_from_one_list(rendered: Path) -> None:
    """includes/images.yml holds each image once, tag and digest; the generated
    CI's service containers and the Compose stack use exactly those, and so do
    the template's own workflows."""
    assert set(IMAGES) == {"postgres", "redis"}
    for name, reference in IMAGES.items():
        assert DIGEST_PINNED.fullmatch(reference), reference
        assert reference.startswith(f"{name}:"), reference
    # Compose's nginx keeps its tag: no record of its digest could be read
    # where the template is built. Compose builds the web image itself.
    by_tag = {"nginx"}
    found = image_references(rendered) | image_references(ROOT)
    used = set().union(*found.values())
    assert {IMAGES["postgres"], IMAGES["redis"]} <= used, found
    for where, references in found.items():
        for reference in references:
            if reference.split(":")[0] in by_tag:
                continue
            assert reference in IMAGES.values(), f"{where}: {reference}"
    assert found[".github/workflows/ci.yml"] == set(IMAGES.values())


def test_the_template_tests_run_the_lighthouse_ci_the_projects_pin(
    rendered: Path,
) -> None:
    """`nox -s lighthouse` runs npx with the pin; the runtime tier runs the
    same version, installed from .ci/package-lock.json."""
    noxfile = (rendered / "noxfile.py").read_text()
    assert f'LIGHTHOUSE_CI = "@lhci/cli@{VERSIONS["@lhci/cli"]}"' in noxfile
    package = json.loads((ROOT / ".ci/package.json").read_text())
    lock = json.loads((ROOT / ".ci/package-lock.json").read_text())
    pinned = VERSIONS["@lhci/cli"]
    assert package["dependencies"]["@lhci/cli"] == pinned
    assert lock["packages"]["node_modules/@lhci/cli"]["version"] == pinned


NPM_REGISTRY = "https://registry.npmjs.org/"
# The packages of .ci/package-lock.json with install scripts, and what their
# scripts would download: .ci/install-node-tools skips them all.
INSTALL_SCRIPTS = {
    "@mdn/mdn-http-observatory": "the HSTS preload list and a list of domains",
    "node_extra_ca_certs_mozilla_bundle": "Mozilla's CA bundle",
}


def test_node_tools_install_from_the_registry_alone() -> None:
    """The Node tools are pinned exactly, come from the npm registry, and no
    install script runs: each one the lock records is known and skipped."""
    manifest = json.loads((ROOT / ".ci/package.json").read_text())
    lock = json.loads((ROOT / ".ci/package-lock.json").read_text())
    packages = lock["packages"]
    assert packages[""]["dependencies"] == manifest["dependencies"]
    for name, version in manifest["dependencies"].items():
        assert packages[f"node_modules/{name}"]["version"] == version, name
    for path, package in packages.items():
        # A registry tarball is recorded with the registry's URL, or none
        # (npm's omit-lockfile-registry-resolved); a git or file source is not.
        source = package.get("resolved", NPM_REGISTRY)
        assert source.startswith(NPM_REGISTRY), f"{path}: {source}"
    scripted = {
        path.rpartition("node_modules/")[2]
        for path, package in packages.items()
        if package.get("hasInstallScript")
    }
    assert scripted == set(INSTALL_SCRIPTS)
    npm_ci = [
        line.split()
        for line in (ROOT / ".ci/install-node-tools").read_text().splitlines()
        if line.startswith("npm ci ")
    ]
    assert npm_ci and all("--ignore-scripts" in words for words in npm_ci), npm_ci
