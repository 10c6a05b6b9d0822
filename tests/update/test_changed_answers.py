"""Update tier: an answer changed during an update swaps the option's files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.commands import run
from harness.git import git_commit_all
from harness.options import OPTIONS
from harness.release import USER_EDITS
from harness.render import copier_copy
from harness.updates import (
    assert_gates_pass,
    expected_after_update,
    files,
    generate_from,
    make_user_edits,
    rejects,
    relock,
    unmerged,
    update_project,
)

pytestmark = pytest.mark.xdist_group("update")


# The option that step 5 of issue 6 switches on during an update.
ADDED_ON_UPDATE = "use_celery"


def test_an_option_switched_on_during_an_update_arrives_and_the_gates_pass(
    template_repo: Path, tmp_path: Path
) -> None:
    """A v1 project without Celery, edited by its user, updated to v2 with
    `--data use_celery=true`: Celery arrives, every edit stays, gates pass."""
    project = tmp_path / "project"
    copier_copy(project, {ADDED_ON_UPDATE: "false"}, src=template_repo, vcs_ref="v1")
    git_commit_all(project, "Generated from django-keel v1 without Celery")
    trace = OPTIONS[ADDED_ON_UPDATE].trace
    assert not [name for name in files(project) if trace in name]
    make_user_edits(project, USER_EDITS)
    run(["uv", "lock"], cwd=project)
    git_commit_all(project, "Add a notes app and humanize; trim the docs")

    update_project(project, "v2", {ADDED_ON_UPDATE: "true"})
    assert not rejects(project)
    assert unmerged(project) <= {"uv.lock"}
    relock(project)

    fresh = tmp_path / "fresh"
    copier_copy(fresh, {ADDED_ON_UPDATE: "true"}, src=template_repo, vcs_ref="v2")
    git_commit_all(fresh, "A fresh v2 render with Celery")
    assert [name for name in files(fresh) if trace in name], "no Celery file"
    # Every file, shared ones with Celery blocks included, is the fresh render
    # with the user's edits on top, byte for byte; only the lock is re-locked.
    actual, expected = files(project), expected_after_update(fresh)
    assert sorted(actual) == sorted(expected)
    differ = sorted(name for name in expected if actual[name] != expected[name])
    assert differ == ["uv.lock"], differ
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers[ADDED_ON_UPDATE] is True and answers["_commit"] == "v2"

    git_commit_all(project, "Update to django-keel v2 with Celery")
    assert_gates_pass(project)
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert status == "", f"the gates changed files:\n{status}"


@pytest.mark.parametrize("option", OPTIONS)
def test_an_answer_changed_on_update_swaps_its_files_and_swaps_them_back(
    template_repo: Path, v2_render: Path, tmp_path: Path, option: str
) -> None:
    """`--data <option>=<other>`, then back (docs/updating.md#changing-an-answer)."""
    project = generate_from(template_repo, tmp_path / "project", "v2")
    default = yaml.safe_load((project / ".copier-answers.yml").read_text())[option]
    values = (OPTIONS[option].on, OPTIONS[option].off)
    other = next(value for value in values if value != str(default).lower())
    switched = tmp_path / "switched"
    copier_copy(switched, {option: other}, src=template_repo, vcs_ref="v2")
    git_commit_all(switched, "A fresh render with the other answer")

    update_project(project, "v2", {option: other})

    assert files(project) == files(switched)
    assert not unmerged(project)
    # The lock fits the new answers as it is: `make install` works straight away.
    run(["uv", "lock", "--check", "--offline"], cwd=project)
    git_commit_all(project, f"Answer {option}={other}")

    update_project(project, "v2", {option: str(default).lower()})

    assert files(project) == files(v2_render)
    assert not unmerged(project)
