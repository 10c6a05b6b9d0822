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
user has resolved both, pre-commit lets the commit through and every gate passes.

The other tests: an unedited project becomes exactly the `v2` render; a dirty
work tree, or a Copier that would hide a conflict in a `*.rej` file, is refused
and nothing changes; `copier recopy` recovers a pristine render; switching an
option off on update gives exactly a fresh render with it off, with a lock
that needs no re-locking, and switching it back on restores the release.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import (
    COPIER,
    OPTIONS,
    ROOT,
    VERSIONS,
    copier_copy,
    git_commit_all,
    run,
)
from vulnerability_service import vulnerability_service

pytestmark = [pytest.mark.update, pytest.mark.xdist_group("update")]

SLUG = "my_project"  # what the default answers give
NOX = ["uv", "run", "--frozen", "nox"]
DEFAULT_GATES = ("lint", "typing", "security", "audit", "tests", "deploy_check",
                 "migrations", "docs")  # fmt: skip
IDENTITY = ["-c", "user.name=Keel Tests", "-c", "user.email=tests@keel.invalid"]

# The tool that v2 bumps: v1 pins an older release of it.
BUMPED = "pre-commit-hooks"
V1_PIN = "5.0.0"


@dataclass(frozen=True)
class Edit:
    """Replace `old`, which must occur exactly once, by `new` in one file."""

    path: str
    old: str
    new: str

    def applied_to(self, text: str) -> str:
        count = text.count(self.old)
        assert count == 1, f"{self.path}: {self.old!r} occurs {count} times"
        return text.replace(self.old, self.new)

    def apply(self, root: Path) -> None:
        target = root / self.path
        target.write_text(self.applied_to(target.read_text()))


# The line that both the release and the user rewrite.
README_LINE = (
    "The site answers on <http://127.0.0.1:8000/health/live/>. "
    "In a second terminal,\n"
)
RELEASE_README_LINE = (
    "The site answers on <http://localhost:8000/health/live/>. "
    "In a second terminal,\n"
)
USER_README_LINE = (
    "The site answers on <http://127.0.0.1:8000/health/live/>, and the notes "
    "admin on\n<http://127.0.0.1:8000/admin/notes/>. In a second terminal,\n"
)

# v2, as paths of the template repository.
RELEASE = [
    # A settings default, with its documentation and its test.
    Edit(
        "template/config/env.py.jinja",
        'env.int("DATABASE_CONNECT_TIMEOUT", 3,',
        'env.int("DATABASE_CONNECT_TIMEOUT", 5,',
    ),
    Edit(
        "template/.env.example.jinja",
        "Default: 3\nDATABASE_CONNECT_TIMEOUT=3\n",
        "Default: 5\nDATABASE_CONNECT_TIMEOUT=5\n",
    ),
    Edit(
        "template/tests/test_env.py.jinja",
        'options["connect_timeout"] == 3\n',
        'options["connect_timeout"] == 5\n',
    ),
    # A settings value, in the file where the user registers an app.
    Edit(
        "template/config/settings/base.py.jinja",
        "out for fifteen minutes.",
        "out for thirty minutes.",
    ),
    Edit(
        "template/config/settings/base.py.jinja",
        "AXES_COOLOFF_TIME = timedelta(minutes=15)\n",
        "AXES_COOLOFF_TIME = timedelta(minutes=30)\n",
    ),
    # A new target, in the Makefile where the user changes another one.
    Edit(
        "template/Makefile.jinja",
        "backup restore backup-verify\n",
        "backup restore backup-verify outdated\n",
    ),
    Edit(
        "template/Makefile.jinja",
        "check-all: ## Every gate, exactly as CI runs them\n\t$(NOX)\n",
        "check-all: ## Every gate, exactly as CI runs them\n\t$(NOX)\n\n"
        "outdated: ## List the direct dependencies that have newer releases\n"
        "\tuv tree --outdated --depth 1\n",
    ),
    # A page the user deletes: it must stay deleted.
    Edit(
        "template/docs/development/ci.md.jinja",
        "# Continuous integration\n\n",
        "# Continuous integration\n\n`make docs` runs the docs job locally.\n\n",
    ),
    Edit("template/README.md.jinja", README_LINE, RELEASE_README_LINE),
]
NEW_FILE = "SECURITY.md"
NEW_FILE_TEMPLATE = (
    "# Security policy\n\n"
    "Report a vulnerability in {{ project_name }} to {{ author_email }},\n"
    "never in a public issue.\n"
)
NEW_FILE_RENDERED = (
    "# Security policy\n\n"
    "Report a vulnerability in My Project to you@example.com,\n"
    "never in a public issue.\n"
)

# The dependency the user adds. Their lock holds it at an older release, a
# choice pyproject.toml does not force: settling uv.lock must keep it.
USER_DEPENDENCY, USER_LOCKED = "humanize", "4.9.0"

# The user's edits, as paths of the generated project.
USER_EDITS = [
    Edit(
        "config/settings/base.py",
        f'    "{SLUG}.users",\n',
        f'    "{SLUG}.users",\n    "{SLUG}.notes",\n',
    ),
    Edit(
        "Makefile",
        "\tuv run --frozen pytest\n",
        "\tuv run --frozen pytest --exitfirst --failed-first\n",
    ),
    Edit(
        "pyproject.toml",
        '    "gunicorn>=23",\n',
        f'    "gunicorn>=23",\n    "{USER_DEPENDENCY}>=4.9",\n',
    ),
    Edit(
        "README.md",
        "built with `uv run nox -s docs`.\n",
        "built with `uv run nox -s docs`.\n\n## Notes\n\n"
        f"`{SLUG}/notes` keeps short notes, edited in the admin.\n",
    ),
    # Deleting docs/development/ci.md takes its nav entry with it.
    Edit("mkdocs.yml", "      - Continuous integration: development/ci.md\n", ""),
]
USER_CONFLICTING_EDIT = Edit("README.md", README_LINE, USER_README_LINE)
USER_DELETED = ["docs/development/ci.md"]
USER_FILES = {
    f"{SLUG}/notes/__init__.py": "",
    f"{SLUG}/notes/apps.py": (
        "from django.apps import AppConfig\n\n\n"
        "class NotesConfig(AppConfig):\n"
        f'    name = "{SLUG}.notes"\n'
        '    verbose_name = "Notes"\n'
    ),
    f"{SLUG}/notes/models.py": (
        "from django.db import models\n\n\n"
        "class Note(models.Model):\n"
        "    text = models.TextField()\n\n"
        "    def __str__(self) -> str:\n"
        "        return self.text\n"
    ),
    f"{SLUG}/notes/admin.py": (
        "from django.contrib import admin\n\n"
        "from .models import Note\n\n"
        "admin.site.register(Note)\n"
    ),
    f"{SLUG}/notes/migrations/__init__.py": "",
    f"{SLUG}/notes/migrations/0001_initial.py": (
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n\n"
        "    initial = True\n\n"
        "    dependencies = []\n\n"
        "    operations = [\n"
        "        migrations.CreateModel(\n"
        '            name="Note",\n'
        "            fields=[\n"
        "                (\n"
        '                    "id",\n'
        "                    models.BigAutoField(\n"
        "                        auto_created=True,\n"
        "                        primary_key=True,\n"
        "                        serialize=False,\n"
        '                        verbose_name="ID",\n'
        "                    ),\n"
        "                ),\n"
        '                ("text", models.TextField()),\n'
        "            ],\n"
        "        ),\n"
        "    ]\n"
    ),
    "tests/test_notes.py": (
        "import pytest\n\n"
        f"from {SLUG}.notes.models import Note\n\n\n"
        "@pytest.mark.django_db\n"
        "def test_a_note_reads_as_its_text() -> None:\n"
        '    note = Note.objects.create(text="Buy rope")\n'
        '    assert str(note) == "Buy rope"\n'
    ),
}

# The markers `copier update` writes around each side of an inline conflict;
# a diff3 conflict style adds the common ancestor, "last update".
CONFLICT = re.compile(
    r"^<<<<<<< before updating\n(?P<ours>(?:.*\n)*?)"
    r"(?:\|{7} last update\n(?P<base>(?:.*\n)*?))?"
    r"=======\n(?P<theirs>(?:.*\n)*?)>>>>>>> after updating\n",
    re.MULTILINE,
)
# A pre-commit result line: "<hook name>....Passed" (or Failed, or Skipped).
HOOK_RESULT = re.compile(r"^(?P<name>\S.*?)\.{3,}.*?(?P<status>Passed|Failed|Skipped)$")
DIRTY = "Destination repository is dirty; cannot continue."
# The newest Copier that leaves a conflict in a git-ignored *.rej file and
# reports nothing; copier.yml's _min_copier_version refuses it.
UNSAFE_COPIER = "9.15.1"


# Helpers for any update scenario. One where an answer changes, such as
# `--data use_celery=true`, is: generate_from(template_repo, path, "v1"), then
# update_project(project, "v2", {"use_celery": "true"}), relock(project) and
# assert_gates_pass(project).


def update_project(
    project: Path,
    vcs_ref: str,
    answers: dict[str, str] | None = None,
    *,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`copier update --defaults` to vcs_ref, as a user runs it: in Copier's
    default conflict mode (inline markers), changing answers with `--data`."""
    data = [arg for k, v in (answers or {}).items() for arg in ("--data", f"{k}={v}")]
    return run(
        [*COPIER, "update", "--defaults", "--vcs-ref", vcs_ref, *data],
        cwd=project,
        check=check,
    )


def make_user_edits(project: Path, edits: list[Edit]) -> None:
    """Edit, add and delete files in a generated project as the user does."""
    for edit in edits:
        edit.apply(project)
    for path, content in USER_FILES.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(content)
    for path in USER_DELETED:
        (project / path).unlink()


def generate_from(template: Path, destination: Path, vcs_ref: str) -> Path:
    """A project generated from one release and committed, as Copier suggests."""
    copier_copy(destination, src=template, vcs_ref=vcs_ref)
    git_commit_all(destination, f"Generated from django-keel {vcs_ref}")
    return destination


def relock(project: Path) -> None:
    """The documented way to settle uv.lock after an update (docs/updating.md).

    uv.lock is derived from pyproject.toml, so it is never merged by hand.
    When the update left it conflicted, take your own side, the lock from
    before the update; then `uv lock` moves exactly what the merged
    pyproject.toml asks for.
    """
    if "uv.lock" in unmerged(project):
        run(["git", "checkout", "--ours", "--", "uv.lock"], cwd=project)
    run(["uv", "lock"], cwd=project)
    run(["git", "add", "uv.lock"], cwd=project)


def assert_gates_pass(project: Path) -> None:
    """`uv sync --locked`, then every default gate, as `make check-all` runs them.

    pip-audit asks the local stand-in: PyPI's vulnerability data is incomplete
    here, which fails the audit gate (tests/test_audit.py).
    """
    run(["uv", "sync", "--locked"], cwd=project)
    with vulnerability_service() as service:
        gates = run(NOX, cwd=project, env=service.env, timeout=1800)
    summary = gates.stderr[gates.stderr.rfind("Ran ") :]
    for session in DEFAULT_GATES:
        assert f"* {session}: success" in summary, summary


def unmerged(project: Path) -> set[str]:
    """Paths git lists as unresolved conflicts."""
    output = run(["git", "diff", "--name-only", "--diff-filter=U"], cwd=project)
    return set(output.stdout.split())


def files(root: Path) -> dict[str, bytes]:
    """Every file in root's work tree that git does not ignore, with its bytes."""
    listing = run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
    ).stdout
    # A tracked file deleted from the work tree is not in the tree.
    names = {name for name in listing.split("\0") if (root / name).is_file()}
    return {name: (root / name).read_bytes() for name in names}


def rejects(root: Path) -> list[str]:
    """Every *.rej under root, git-ignored or not."""
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d not in {".git", ".venv"}]
        found += [os.path.join(directory, n) for n in names if n.endswith(".rej")]
    return found


def locked_versions(text: str) -> dict[str, str]:
    return {p["name"]: p["version"] for p in tomllib.loads(text)["package"]}


def commit(project: Path, message: str) -> tuple[int, dict[str, str]]:
    """`git commit` with the pre-commit hooks; its exit code and each hook's result."""
    result = run(
        ["git", *IDENTITY, "commit", "--quiet", "--message", message],
        cwd=project,
        check=False,
    )
    output = result.stdout + result.stderr
    hooks = {
        m["name"]: m["status"] for m in map(HOOK_RESULT.match, output.splitlines()) if m
    }
    assert hooks, f"no pre-commit hook ran:\n{output}"
    return result.returncode, hooks


def failed(hooks: dict[str, str]) -> set[str]:
    return {name for name, status in hooks.items() if status == "Failed"}


def head(project: Path) -> str:
    return run(["git", "rev-parse", "HEAD"], cwd=project).stdout.strip()


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


def expected_after_update(v2_render: Path) -> dict[str, bytes]:
    """A fresh v2 render with every user edit on top, the conflicting one aside."""
    expected = files(v2_render)
    for path in USER_DELETED:
        del expected[path]
    for path, content in USER_FILES.items():
        expected[path] = content.encode()
    for edit in USER_EDITS:
        expected[edit.path] = edit.applied_to(expected[edit.path].decode()).encode()
    return expected


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
    assert (
        'env.int("DATABASE_CONNECT_TIMEOUT", 5,'
        in (project / "config/env.py").read_text()
    )
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
    arrived = sorted(name for name in files(fresh) if trace in name)
    assert arrived, "the fresh render has no Celery file to compare with"
    for name in arrived:
        assert (project / name).read_bytes() == (fresh / name).read_bytes(), name
    for edit in USER_EDITS:
        assert edit.new in (project / edit.path).read_text(), edit
    for name, content in USER_FILES.items():
        assert (project / name).read_text() == content, name
    for name in USER_DELETED:
        assert not (project / name).exists(), name
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers[ADDED_ON_UPDATE] is True and answers["_commit"] == "v2"

    git_commit_all(project, "Update to django-keel v2 with Celery")
    assert_gates_pass(project)
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert status == "", f"the gates changed files:\n{status}"


def snapshot(project: Path) -> dict[str, object]:
    """Everything an update could change: files, index, HEAD and status."""
    return {
        "files": {
            path: hashlib.sha256(content).hexdigest()
            for path, content in files(project).items()
        },
        "index": run(["git", "ls-files", "--stage"], cwd=project).stdout,
        "head": head(project),
        "status": run(["git", "status", "--porcelain"], cwd=project).stdout,
    }


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
