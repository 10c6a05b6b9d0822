"""Update tier: a project generated before the accounts arrived (django-keel
v0.1.0), with its user's edits and data, updates to the committed template:
the pages and accounts arrive, the migrations apply to the existing
database, the users are still there, and every gate passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.commands import ROOT, run
from harness.git import git_commit_all
from harness.release import USER_EDITS
from harness.updates import (
    assert_gates_pass,
    generate_from,
    make_user_edits,
    rejects,
    relock,
    unmerged,
    update_project,
)

# The commit released as v0.1.0 (CHANGELOG.md), the last one without accounts.
V0_1_0 = "bfefd339af489bacca846aa8984d9cf1d75c4c02"
MANAGE = ["uv", "run", "--frozen", "python", "manage.py"]
COUNT_USERS = (
    "from django.contrib.auth import get_user_model; "
    "print(get_user_model().objects.filter(email='ada@example.com').count())"
)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template's history, with v0.1.0 and the committed tree as v0.2.0."""
    repo = tmp_path_factory.mktemp("front-door") / "django-keel"
    run(["git", "clone", "--quiet", "--no-hardlinks", ROOT, repo], cwd=repo.parent)
    run(["git", "tag", "--force", "v0.1.0", V0_1_0], cwd=repo)
    run(["git", "tag", "--force", "v0.2.0", "HEAD"], cwd=repo)
    return repo


def test_a_project_from_before_the_accounts_updates_migrates_and_passes(
    releases: Path, tmp_path: Path
) -> None:
    project = generate_from(releases, tmp_path / "project", "v0.1.0")
    assert not (project / "templates" / "base.html").exists()
    make_user_edits(project, USER_EDITS)
    run(["uv", "lock"], cwd=project)
    git_commit_all(project, "Add a notes app")
    run([*MANAGE, "migrate", "--no-input"], cwd=project)
    create = "from django.contrib.auth import get_user_model; " + (
        "get_user_model().objects.create_user('ada', 'ada@example.com', 'x')"
    )
    run([*MANAGE, "shell", "--command", create], cwd=project)

    update_project(project, "v0.2.0")
    assert not rejects(project)
    assert unmerged(project) <= {"uv.lock"}, unmerged(project)
    relock(project)
    git_commit_all(project, "Update to django-keel v0.2.0")
    assert (project / "templates" / "base.html").exists()
    assert '"my_project.notes"' in (project / "config/settings/base.py").read_text()

    migrated = run([*MANAGE, "migrate", "--no-input"], cwd=project).stdout
    assert "Applying account." in migrated and "Applying mfa." in migrated
    users = run([*MANAGE, "shell", "--command", COUNT_USERS], cwd=project).stdout
    assert users.strip().splitlines()[-1] == "1"
    run([*MANAGE, "makemigrations", "--check", "--dry-run"], cwd=project)
    assert_gates_pass(project)
