"""Update tier: updates that would lose work are refused, and recopy recovers a
pristine render."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.commands import run
from harness.git import git_commit_all
from harness.release import (
    USER_CONFLICTING_EDIT,
    USER_DELETED,
    USER_EDITS,
    USER_FILES,
)
from harness.render import COPIER
from harness.updates import (
    DIRTY,
    UNSAFE_COPIER,
    files,
    generate_from,
    make_user_edits,
    snapshot,
    update_project,
)

pytestmark = pytest.mark.xdist_group("update")


@pytest.mark.parametrize("change", ["modified", "untracked"])
def test_update_refuses_a_dirty_work_tree_and_changes_nothing(
    template_repo: Path, tmp_path: Path, change: str
) -> None:
    project = generate_from(template_repo, tmp_path / "project", "v1")
    if change == "modified":
        (project / "README.md").write_text("Work in progress\n")
    else:
        (project / "notes.txt").write_text("Work in progress\n")
    before = snapshot(project)
    assert before["status"], "the work tree should be dirty"

    refused = update_project(project, "v2", check=False)

    assert refused.returncode != 0
    assert DIRTY in refused.stderr
    assert snapshot(project) == before
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v1"


def test_recopy_renders_the_release_again_and_keeps_added_files(
    template_repo: Path, v2_render: Path, tmp_path: Path
) -> None:
    """The recovery path after an update gone wrong (docs/updating.md)."""
    project = generate_from(template_repo, tmp_path / "project", "v2")
    make_user_edits(project, USER_EDITS)
    git_commit_all(project, "Edits, then an update resolved badly")

    run(
        [*COPIER, "recopy", "--defaults", "--overwrite", "--vcs-ref", "v2"], cwd=project
    )

    # Every template file is the pristine render again, deleted ones included;
    # the user's own files are left alone.
    expected = {**files(v2_render), **{p: c.encode() for p, c in USER_FILES.items()}}
    actual = files(project)
    assert sorted(actual) == sorted(expected)
    assert not [path for path in expected if actual[path] != expected[path]]
    # git shows what it overwrote, to take back with `git restore --patch`.
    changed = run(["git", "diff", "--name-only"], cwd=project).stdout.split()
    assert sorted(changed) == sorted({edit.path for edit in USER_EDITS})
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert [f"?? {path}" for path in USER_DELETED] == [
        line for line in status.splitlines() if line.startswith("??")
    ]
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers == yaml.safe_load((v2_render / ".copier-answers.yml").read_text())


def test_a_copier_that_would_lose_a_conflict_is_refused(
    template_repo: Path, tmp_path: Path
) -> None:
    project = generate_from(template_repo, tmp_path / "project", "v1")
    USER_CONFLICTING_EDIT.apply(project)
    git_commit_all(project, "Rewrite a README line that v2 rewrites too")
    before = snapshot(project)

    refused = run(
        ["uvx", "--from", f"copier=={UNSAFE_COPIER}", "copier",
         "update", "--defaults", "--vcs-ref", "v2"],
        cwd=project,
        check=False,
    )  # fmt: skip

    assert refused.returncode != 0
    assert f"your version of Copier is {UNSAFE_COPIER}" in refused.stderr
    assert snapshot(project) == before
