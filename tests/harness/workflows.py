"""Read GitHub Actions workflows and noxfiles without running them.

The fast and gates tiers use these helpers to check what CI installs and runs.
Commands are parsed with shlex, so a comment or a quoted word that merely
mentions nox is not mistaken for a nox run.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import yaml

# ${{ ... }}: a GitHub Actions expression, evaluated by the runner.
GITHUB_EXPRESSION = re.compile(r"\$\{\{(?:(?!\{\{|\{%|\{#).)*?\}\}")
SEPARATORS = {"&&", "||", ";", "|", "&"}
SHEBANG = re.compile(rb"^#!\s*(?:/usr/bin/env\s+)?(?:/\S*/)?(?:ba|da|k)?sh\b")
SKIPPED_DIRECTORIES = {".git", ".venv", ".nox", ".tools", "node_modules", "site"}


def workflow_files(root: Path) -> list[Path]:
    return sorted(
        path
        for pattern in ("*.yml", "*.yaml")
        for path in (root / ".github" / "workflows").glob(pattern)
    )


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text())
    assert isinstance(document, dict), f"{path} is not a YAML mapping"
    return document


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(job id, step) for every step of every job."""
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def run_scripts(workflow: dict[str, Any]) -> list[str]:
    return [step["run"] for _, step in steps(workflow) if "run" in step]


def commands(script: str) -> list[list[str]]:
    """Split a `run:` script into simple commands, each a list of words."""
    found: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        current: list[str] = []
        for word in lexer:
            if word in SEPARATORS:
                found.append(current)
                current = []
            else:
                current.append(word)
        found.append(current)
    return [command for command in found if command]


def nox_sessions(command: list[str]) -> list[str] | None:
    """The sessions a command runs with nox; [] for nox's defaults, None if no nox.

    Both `nox` and the template's `uv run noxfile.py` count as nox.
    """
    starts = [i for i, word in enumerate(command) if word in ("nox", "noxfile.py")]
    if not starts:
        return None
    sessions: list[str] = []
    collecting = False
    for word in command[starts[0] + 1 :]:
        if word == "--":
            break
        if word in ("-s", "--session", "--sessions"):
            collecting = True
        elif word.startswith("-"):
            collecting = False
        elif collecting:
            sessions.append(word)
    return sessions


def pytest_markers(command: list[str]) -> list[str]:
    """The `-m` expressions passed through nox to pytest, after `--`."""
    if "--" not in command:
        return []
    arguments = command[command.index("--") + 1 :]
    return [arguments[i + 1] for i, word in enumerate(arguments[:-1]) if word == "-m"]


def is_nox_session(decorator: ast.expr) -> ast.expr | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if ast.unparse(target) == "nox.session":
        return decorator
    return None


def noxfile_sessions(noxfile: Path) -> tuple[set[str], list[str]]:
    """(every session defined, the default sessions) read from a noxfile's AST."""
    tree = ast.parse(noxfile.read_text(), filename=str(noxfile))
    defined: set[str] = set()
    defaults: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in filter(None, map(is_nox_session, node.decorator_list)):
                name = node.name
                if isinstance(decorator, ast.Call):
                    for keyword in decorator.keywords:
                        if keyword.arg == "name":
                            name = ast.literal_eval(keyword.value)
                defined.add(name)
        elif isinstance(node, ast.Assign):
            if [ast.unparse(t) for t in node.targets] == ["nox.options.sessions"]:
                defaults = list(ast.literal_eval(node.value))
    return defined, defaults


def shell_scripts(root: Path, skip: Collection[str] = ()) -> list[Path]:
    """Files under root that are shell scripts, by suffix or by shebang.

    Virtualenvs, caches and installed tools are skipped, and so are the
    directories named in skip, relative to root.
    """
    found = []
    for directory, subdirectories, files in os.walk(root):
        here = Path(directory)
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if name not in SKIPPED_DIRECTORIES
            and str((here / name).relative_to(root)) not in skip
        )
        for name in sorted(files):
            path = here / name
            if path.suffix in (".sh", ".bash"):
                found.append(path)
            elif path.is_file() and not path.is_symlink():
                with path.open("rb") as handle:
                    if SHEBANG.match(handle.readline()):
                        found.append(path)
    return found


def run_blocks_as_scripts(workflow: Path, directory: Path) -> list[Path]:
    """Write each `run:` block of a workflow as a bash script, for shellcheck.

    Expressions are replaced by a plain word, as actionlint does before it
    hands run blocks to shellcheck.
    """
    scripts = []
    for number, script in enumerate(run_scripts(load(workflow)), 1):
        path = directory / f"{workflow.stem}-run-{number}.sh"
        body = GITHUB_EXPRESSION.sub("GITHUB_EXPRESSION", script)
        path.write_text(f"#!/usr/bin/env bash\n# {workflow.name}\n{body}")
        scripts.append(path)
    return scripts
