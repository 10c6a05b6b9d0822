"""Fast tier: a generated project's docs name only what the project has.

The checker is the generated project's own tests/test_docs.py, so the check
keeps working in the project after it is generated. Here it runs on fresh
renders, and on renders broken one way at a time, to show that it fails.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest


def load_checker(project: Path) -> ModuleType:
    path = project / "tests" / "test_docs.py"
    spec = importlib.util.spec_from_file_location(f"docs_checker_{id(path)}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up while the class is being created.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_generated_docs_name_only_what_exists(rendered: Path) -> None:
    checker = load_checker(rendered)
    assert checker.problems(rendered) == []
    project = checker.Project.read(rendered)
    assert {"backup", "restore", "backup-verify"} <= project.make_targets
    assert {"backup_db.sh", "restore_db.sh", "verify_backup.sh"} <= project.scripts
    assert len(project.example_variables) >= 20
    assert {"BACKUP_DIR", "BACKUP_KEEP_DAYS", "BACKUP_KEEP_COUNT",
            "BACKUP_OFFSITE_COMMAND"} <= project.script_variables  # fmt: skip
    pages = {p.relative_to(rendered / "docs").as_posix()
             for p in (rendered / "docs").rglob("*.md")}  # fmt: skip
    for section in ("setup", "development", "architecture", "operations", "security"):
        assert any(page.startswith(f"{section}/") for page in pages), section
    nav = (rendered / "mkdocs.yml").read_text()
    for page in pages:
        assert f": {page}\n" in nav, f"{page} is not in the navigation"


def append(path: str, text: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        with (project / path).open("a") as file:
            file.write(text)

    return change


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        target = project / path
        content = target.read_text()
        assert old in content, f"{old!r} is not in {path}"
        target.write_text(content.replace(old, new, 1))

    return change


BREAKAGES = {
    "doc names a missing make target": (
        append("docs/operations/rollback.md", "\nRun `make rewind`.\n"),
        "make target 'rewind' does not exist",
    ),
    "make target removed": (
        replace("Makefile", "backup-verify: ##", "verify-backup: ##"),
        "make target 'backup-verify' does not exist",
    ),
    "doc names a missing nox session": (
        append("README.md", "\n```console\nuv run nox -s release\n```\n"),
        "nox session 'release' does not exist",
    ),
    "script renamed": (
        lambda project: (project / "scripts/restore_db.sh").rename(
            project / "scripts/restore.sh"
        ),
        "scripts/restore_db.sh does not exist",
    ),
    "doc names a variable nothing reads": (
        append("docs/setup/production.md", "\nSet `DJANGO_DEBUG_TOOLBAR`.\n"),
        "environment variable DJANGO_DEBUG_TOOLBAR is not read",
    ),
    "script reads an undocumented variable": (
        replace(
            "scripts/backup_db.sh",
            'backup_dir="${BACKUP_DIR:-backups}"',
            'backup_dir="${BACKUP_DIR:-${BACKUP_ROOT:-backups}}"',
        ),
        ".env.example lacks BACKUP_ROOT",
    ),
    "doc names a variable .env.example lacks": (
        replace(".env.example", "\nDJANGO_HSTS_PRELOAD=false\n", "\n"),
        "environment variable DJANGO_HSTS_PRELOAD is not read",
    ),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_the_checker_fails_on_each_mismatch(
    rendered: Path, tmp_path: Path, breakage: str
) -> None:
    project = tmp_path / "project"
    shutil.copytree(rendered, project)
    change, expected = BREAKAGES[breakage]
    change(project)
    found = load_checker(project).problems(project)
    assert any(expected in problem for problem in found), found
