"""Update tier fixtures: the template released twice, and what v2 renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.commands import ROOT, run
from harness.git import git_commit_all
from harness.release import (
    BUMPED,
    NEW_FILE,
    NEW_FILE_TEMPLATE,
    RELEASE,
    V1_PIN,
    Edit,
)
from harness.render import VERSIONS
from harness.updates import generate_from


# Session scope: built once per xdist worker (about three minutes of re-locking),
# even when the worker runs other modules' tests between this module's.
@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the committed template, tagged v1 and v2 (see the module doc)."""
    assert VERSIONS[BUMPED] != V1_PIN, f"choose a V1_PIN older than {VERSIONS[BUMPED]}"
    repo = tmp_path_factory.mktemp("releases") / "django-keel"
    run(["git", "clone", "--quiet", "--no-hardlinks", ROOT, repo], cwd=repo.parent)
    pin = Edit(
        "includes/versions.yml",
        f'{BUMPED}: "{VERSIONS[BUMPED]}"',
        f'{BUMPED}: "{V1_PIN}"',
    )

    pin.apply(repo)
    run(["uv", "run", "noxfile.py", "-s", "lock"], cwd=repo)
    git_commit_all(repo, f"Pin {BUMPED} {V1_PIN}")
    run(["git", "tag", "v1"], cwd=repo)

    for edit in RELEASE:
        edit.apply(repo)
    (repo / "template" / f"{NEW_FILE}.jinja").write_text(NEW_FILE_TEMPLATE)
    Edit(pin.path, pin.new, pin.old).apply(repo)
    run(["uv", "run", "noxfile.py", "-s", "lock"], cwd=repo)
    git_commit_all(repo, f"Release v2: bump {BUMPED} to {VERSIONS[BUMPED]}, ...")
    run(["git", "tag", "v2"], cwd=repo)
    return repo


@pytest.fixture(scope="session")
def v2_render(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What v2 renders for a project nobody edited, to compare with."""
    return generate_from(template_repo, tmp_path_factory.mktemp("v2") / "project", "v2")
