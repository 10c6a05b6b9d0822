"""The documentation names only what exists, and documents everything read.

Runbooks are read in a hurry, so a command that no longer exists does real
harm. These tests read README.md, docs/ and the project itself, and fail on
any mismatch:

- every `make` target, nox session and `scripts/` file that the docs name
  exists (targets and sessions are looked for in code, where commands are);
- every environment variable named anywhere, and every one the scripts read
  (their ${NAME} expansions outside comments), is in .env.example. A name
  counts as one when it shares its prefix (DJANGO_, DATABASE_, ...) with a
  variable there. tests/test_env_files.py keeps .env.example equal to what
  config/env.py's table prints, so this reads no Python of the project.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Read by Django itself, not by the project's code, so listed on its own.
DJANGO_VARIABLES = frozenset({"DJANGO_SETTINGS_MODULE"})
# Read by the noxfile's e2e session, never by the site: not in .env.example.
TOOL_VARIABLES = frozenset({"E2E_BROWSER"})

FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
MAKE = re.compile(r"(?:^|[\s;&|(])make((?:[ \t]+[^\s;&|()]+)+)", re.MULTILINE)
NOX = re.compile(r"\bnox((?:[ \t]+[^\s;&|()]+)+)")
SCRIPT = re.compile(r"\bscripts/([\w-]+(?:\.[\w-]+)*)")
ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)
UPPER_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
SHELL_EXPANSION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")
MAKE_TARGET = re.compile(r"^([a-z][a-z0-9-]*):", re.MULTILINE)
NAME = re.compile(r"[a-z][a-z0-9_-]*")


@dataclass(frozen=True)
class Project:
    """What the docs may refer to, read from the project's files."""

    make_targets: frozenset[str]
    nox_sessions: frozenset[str]
    scripts: frozenset[str]
    script_variables: frozenset[str]
    example_variables: frozenset[str]

    @classmethod
    def read(cls, root: Path) -> Project:
        scripts = sorted((root / "scripts").iterdir())
        return cls(
            make_targets=frozenset(
                MAKE_TARGET.findall((root / "Makefile").read_text())
            ),
            nox_sessions=nox_sessions(root / "noxfile.py"),
            scripts=frozenset(path.name for path in scripts),
            script_variables=frozenset(
                name
                for path in scripts
                for line in path.read_text().splitlines()
                if not line.lstrip().startswith("#")
                for name in SHELL_EXPANSION.findall(line)
            ),
            example_variables=frozenset(
                ASSIGNMENT.findall((root / ".env.example").read_text())
            ),
        )

    @property
    def variables(self) -> frozenset[str]:
        return self.example_variables | DJANGO_VARIABLES | TOOL_VARIABLES


def nox_sessions(noxfile: Path) -> frozenset[str]:
    """The functions decorated with @nox.session, under their session names."""
    sessions: set[str] = set()
    for node in ast.walk(ast.parse(noxfile.read_text())):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if isinstance(target, ast.Attribute) and target.attr == "session":
                names = [
                    keyword.value.value
                    for keyword in (call.keywords if call else [])
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant)
                ]
                sessions.add(str(names[0]) if names else node.name)
    return frozenset(sessions)


def code_in(markdown: str) -> list[str]:
    """The code blocks and inline code spans of a Markdown text."""
    blocks = FENCE.findall(markdown)
    prose = FENCE.sub("", markdown)
    return blocks + CODE_SPAN.findall(prose)


def names_after(words: list[str], options: tuple[str, ...] = ()) -> list[str]:
    """The names at the start of a command's arguments.

    Skips `VAR=value` assignments and options; with ``options``, only the
    words after one of those options count. Stops at the first other word
    (a placeholder, a comment, `--`).
    """
    names: list[str] = []
    collecting = not options
    for word in words:
        if options and word in options:
            collecting = True
        elif word.startswith("-") or "=" in word:
            if options and collecting and names:
                break
        elif collecting and all(NAME.fullmatch(part) for part in word.split(",")):
            names.extend(word.split(","))
        else:
            break
    return names


def unknown_names(markdown: str, project: Project) -> list[str]:
    """Everything a Markdown text names that the project does not have."""
    problems = []
    for code in code_in(markdown):
        for words in MAKE.findall(code):
            for target in names_after(words.split()):
                if target not in project.make_targets:
                    problems.append(f"make target {target!r} does not exist")
        for words in NOX.findall(code):
            for session in names_after(words.split(), ("-s", "--session")):
                if session not in project.nox_sessions:
                    problems.append(f"nox session {session!r} does not exist")
    for script in SCRIPT.findall(markdown):
        if script not in project.scripts:
            problems.append(f"scripts/{script} does not exist")
    prefixes = {name.split("_")[0] for name in project.variables}
    for name in UPPER_NAME.findall(markdown):
        if name.split("_")[0] in prefixes and name not in project.variables:
            problems.append(f"environment variable {name} is not read")
    return sorted(set(problems))


def documents(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def problems(root: Path) -> list[str]:
    """Every mismatch between the docs and the project at ``root``."""
    project = Project.read(root)
    found = [
        f"{document.relative_to(root)}: {problem}"
        for document in documents(root)
        for problem in unknown_names(document.read_text(), project)
    ]
    unlisted = project.script_variables - project.example_variables
    return found + [f".env.example lacks {name}" for name in sorted(unlisted)]


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.read(ROOT)


def test_the_project_is_read(project: Project) -> None:
    """Guards the parsers: empty sets would make every other check pass."""
    assert {"help", "check-all", "backup", "backup-verify"} <= project.make_targets
    assert {"lint", "tests", "docs"} <= project.nox_sessions
    assert "backup_db.sh" in project.scripts
    assert {"DATABASE_URL", "BACKUP_DIR"} <= project.script_variables
    assert {"DJANGO_SECRET_KEY", "WEB_CONCURRENCY"} <= project.example_variables


@pytest.mark.parametrize(
    "document", documents(ROOT), ids=[str(p.relative_to(ROOT)) for p in documents(ROOT)]
)
def test_documents_name_only_what_exists(document: Path, project: Project) -> None:
    assert unknown_names(document.read_text(), project) == []


def test_the_scripts_read_only_listed_variables(project: Project) -> None:
    assert project.script_variables <= project.example_variables


def test_the_checks_catch_names_that_do_not_exist(project: Project) -> None:
    text = (
        "Run `make backup deploy-everything` and `uv run nox -s lint vibes`, then\n"
        "scripts/backup_db.sh and scripts/rescue.sh, with DATABASE_URL and\n"
        "DJANGO_DEBUG_TOOLBAR set.\n\n"
        "```console\nmake FORCE=1 restore rewind\n```\n"
    )
    assert unknown_names(text, project) == [
        "environment variable DJANGO_DEBUG_TOOLBAR is not read",
        "make target 'deploy-everything' does not exist",
        "make target 'rewind' does not exist",
        "nox session 'vibes' does not exist",
        "scripts/rescue.sh does not exist",
    ]
