"""copier update as a user runs it, and what the update tier reads back."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tomllib
from pathlib import Path

from harness.commands import run
from harness.gates import DEFAULT_GATES, NOX, assert_succeeded, hook_results
from harness.git import IDENTITY, git_commit_all
from harness.release import USER_DELETED, USER_EDITS, USER_FILES, Edit
from harness.render import COPIER, copier_copy
from harness.vulnerability import vulnerability_service

# The markers `copier update` writes around each side of an inline conflict;
# a diff3 conflict style adds the common ancestor, "last update".
CONFLICT = re.compile(
    r"^<<<<<<< before updating\n(?P<ours>(?:.*\n)*?)"
    r"(?:\|{7} last update\n(?P<base>(?:.*\n)*?))?"
    r"=======\n(?P<theirs>(?:.*\n)*?)>>>>>>> after updating\n",
    re.MULTILINE,
)


DIRTY = "Destination repository is dirty; cannot continue."


# The newest Copier that leaves a conflict in a git-ignored *.rej file and
# reports nothing; copier.yml's _min_copier_version refuses it.
UNSAFE_COPIER = "9.15.1"


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
    here, which fails the audit gate (tests/gates/test_audit.py).
    """
    run(["uv", "sync", "--locked"], cwd=project)
    with vulnerability_service() as service:
        gates = run(NOX, cwd=project, env=service.env, timeout=1800)
    assert_succeeded(gates, DEFAULT_GATES)


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
    hooks = hook_results(output)
    assert hooks, f"no pre-commit hook ran:\n{output}"
    return result.returncode, hooks


def head(project: Path) -> str:
    return run(["git", "rev-parse", "HEAD"], cwd=project).stdout.strip()


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
