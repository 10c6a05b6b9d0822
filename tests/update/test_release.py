"""Update tier: `copier update` between two releases of the template.

The template is cloned into a temporary git repository and released twice:

- `v1` is the committed template, except that one pinned tool,
  pre-commit-hooks, is one release older (and re-locked), so that `v2` can
  bump it the way a real release does;
- `v2` changes a settings default (with its `.env.example` line and its test),
  a settings value, the Makefile, a page the user deletes and the README line
  the user rewrites too; it adds a file; and it bumps pre-commit-hooks, re-locked
  with the template's own `lock` session, exactly as a maintainer does.

A project generated from `v1` is edited the way a user would, then updated to
`v2`. Its tree must then be a fresh `v2` render with the user's edits on top,
byte for byte, except for the line both rewrote, which carries inline conflict
markers, and `uv.lock`, which the user re-locks (docs/updating.md). Once the
user has resolved both, pre-commit lets the commit through and every gate passes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.commands import run
from harness.gates import failed
from harness.release import (
    BUMPED,
    CONNECT_TIMEOUT_ROW_V2,
    NEW_FILE,
    NEW_FILE_RENDERED,
    README_LINE,
    RELEASE_README_LINE,
    SLUG,
    USER_CONFLICTING_EDIT,
    USER_DEPENDENCY,
    USER_EDITS,
    USER_LOCKED,
    USER_README_LINE,
    V1_PIN,
    Edit,
)
from harness.render import VERSIONS
from harness.updates import (
    CONFLICT,
    assert_gates_pass,
    commit,
    expected_after_update,
    files,
    generate_from,
    head,
    locked_versions,
    make_user_edits,
    rejects,
    relock,
    unmerged,
    update_project,
)

pytestmark = pytest.mark.xdist_group("update")


def test_update_keeps_every_user_edit_and_brings_every_release_change(
    template_repo: Path, v2_render: Path, tmp_path: Path
) -> None:
    # 1. Generate from v1, install as `make install` does, and edit.
    project = generate_from(template_repo, tmp_path / "project", "v1")
    run(["make", "install"], cwd=project)
    generated_lock = (project / "uv.lock").read_text()
    make_user_edits(project, [*USER_EDITS, USER_CONFLICTING_EDIT])
    hold = f"{USER_DEPENDENCY}=={USER_LOCKED}"
    run(["uv", "lock", "--upgrade-package", hold], cwd=project)
    run(["git", "add", "--all"], cwd=project)
    code, hooks = commit(project, "Add a notes app, humanize; trim the docs")
    assert code == 0, hooks
    user_lock = (project / "uv.lock").read_text()
    assert locked_versions(user_lock)[USER_DEPENDENCY] == USER_LOCKED

    expected = expected_after_update(v2_render)

    # 2 and 3. Update to v2 the way a user does.
    updated = update_project(project, "v2")
    output = updated.stdout + updated.stderr

    assert not rejects(project), output
    actual = files(project)
    assert sorted(actual) == sorted(expected)
    differing = sorted(
        path
        for path in expected
        if actual[path] != expected[path] and path not in {"README.md", "uv.lock"}
    )
    assert not differing, f"not a v2 render plus the user's edits: {differing}"

    # The release's changes arrived, including into files the user edited.
    settings = (project / "config/settings/base.py").read_text()
    assert "timedelta(minutes=30)" in settings and f'"{SLUG}.notes"' in settings
    assert CONNECT_TIMEOUT_ROW_V2 in (project / "config/env.py").read_text()
    makefile = (project / "Makefile").read_text()
    assert "\tuv tree --outdated --depth 1\n" in makefile
    assert "--failed-first" in makefile
    assert (project / NEW_FILE).read_text() == NEW_FILE_RENDERED
    assert f"{BUMPED}=={VERSIONS[BUMPED]}" in (project / "pyproject.toml").read_text()
    hooks_config = (project / ".pre-commit-config.yaml").read_text()
    assert f"{BUMPED}=={VERSIONS[BUMPED]}" in hooks_config
    assert f"{BUMPED}=={V1_PIN}" not in hooks_config
    assert not (project / "docs/development/ci.md").exists()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v2"

    # The line both rewrote: inline markers, the user's side first.
    readme = (project / "README.md").read_text()
    (conflict,) = CONFLICT.finditer(readme)
    assert conflict["ours"] == USER_README_LINE
    assert conflict["theirs"] == RELEASE_README_LINE
    assert conflict["base"] in (None, README_LINE)
    outside = readme.replace(conflict[0], USER_README_LINE)
    kept = Edit("README.md", RELEASE_README_LINE, USER_README_LINE)
    assert outside == kept.applied_to(expected["README.md"].decode()), "edit lost"
    # git knows both conflicts, so `git commit` refuses until each is added.
    assert unmerged(project) == {"README.md", "uv.lock"}, output

    # 3 (uv.lock). The documented resolution keeps the user's lock and moves
    # only what the release moved.
    relock(project)
    resolved = locked_versions((project / "uv.lock").read_text())
    generated = locked_versions(generated_lock)
    released = locked_versions((v2_render / "uv.lock").read_text())
    moved = {name: v for name, v in released.items() if generated.get(name) != v}
    assert moved.get(BUMPED) == VERSIONS[BUMPED], moved
    assert resolved == {**locked_versions(user_lock), **moved}
    assert resolved[USER_DEPENDENCY] == USER_LOCKED
    run(["uv", "sync", "--locked"], cwd=project)

    # 3 (pre-commit). Committing the markers, or a *.rej, is refused.
    before = head(project)
    run(["git", "add", "--all"], cwd=project)
    code, hooks = commit(project, "Update to django-keel v2, markers and all")
    assert code != 0 and failed(hooks) == {"refuse merge-conflict markers"}, hooks
    assert head(project) == before

    (project / "README.md").write_text(outside)
    reject = project / "config/settings/base.py.rej"
    reject.write_text("@@ -1 +1 @@\n-a\n+b\n")
    run(["git", "add", "--all", "--force", "README.md", reject], cwd=project)
    code, hooks = commit(project, "Update to django-keel v2, with a *.rej")
    assert code != 0 and len(failed(hooks)) == 1, hooks
    assert next(iter(failed(hooks))).startswith("refuse *.rej files"), hooks
    assert head(project) == before
    run(["git", "rm", "--cached", "--quiet", reject], cwd=project)
    reject.unlink()

    # 4. Resolved: the commit goes through its hooks, and every gate passes.
    code, hooks = commit(project, "Update to django-keel v2")
    assert code == 0 and not failed(hooks), hooks
    assert run(["git", "status", "--porcelain"], cwd=project).stdout == ""
    assert_gates_pass(project)
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert status == "", f"the gates changed files:\n{status}"


def test_an_unedited_project_becomes_exactly_the_new_release(
    template_repo: Path, v2_render: Path, tmp_path: Path
) -> None:
    project = generate_from(template_repo, tmp_path / "project", "v1")

    update_project(project, "v2")

    actual, expected = files(project), files(v2_render)
    assert sorted(actual) == sorted(expected)
    assert not [path for path in expected if actual[path] != expected[path]]
    assert not unmerged(project)
    # The release's lock arrives as it is, and needs no re-locking.
    run(["uv", "lock", "--locked"], cwd=project)
