"""Fast tier: the re-lock script, and the lock it writes for every combination."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from harness.commands import ROOT, run
from harness.options import ALL_OFF, ALL_ON, OPTIONS, options
from harness.render import generate, render_text


def relock_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relock", ROOT / "scripts/relock.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_lock(on: set[str]) -> str:
    """A lock shaped like uv's: alpha needs a, beta a or b, zed a and b."""
    packages = [
        ("alpha", "a" in on),
        ("beta", bool(on)),
        ("keel-lock-placeholder", True),
        ("zed", on == {"a", "b"}),
    ]
    blocks = []
    for name, present in packages:
        if not present:
            continue
        block = f'[[package]]\nname = "{name}"\nversion = "1.0"\n'
        if name == "keel-lock-placeholder":
            block += 'source = { editable = "." }\ndependencies = [\n'
            block += "".join(
                f'    {{ name = "{dependency}" }},\n'
                for dependency, needed in packages[:2]
                if needed
            )
            block += "]\n"
        blocks.append(block)
    return 'version = 1\nrequires-python = ">=3.12"\n\n' + "\n".join(blocks)


# 2: every run of plain lines is wrapped in {% raw %}, which must not change
# a byte of what the template renders.
@pytest.mark.parametrize("raw_run", [None, 2], ids=["as-shipped", "raw-runs"])
def test_relock_merges_locks_into_a_template_exact_for_each(
    raw_run: int | None,
) -> None:
    relock = relock_script()
    if raw_run:
        relock.RAW_RUN = raw_run
    every = [frozenset(c) for c in ({"a", "b"}, {"a"}, {"b"}, set())]
    template = relock.merge({on: synthetic_lock(set(on)) for on in every})
    assert ("{% raw %}" in template) is bool(raw_run)
    assert "{%- if a %}" in template and "{%- if a and b %}" in template
    assert "{%- if a or b %}" in template
    environment = jinja2.Environment(keep_trailing_newline=True)
    for on in every:
        rendered = environment.from_string(template).render(
            a="a" in on, b="b" in on, project_slug="keel_lock_placeholder"
        )
        assert rendered == synthetic_lock(set(on)), sorted(on)


def test_relock_tests_a_choice_by_its_answer() -> None:
    relock = relock_script()
    relock.DEPENDENCY_OPTIONS = {"a": ("true", "false"), "b": ("drf", "none")}
    every = [frozenset(c) for c in ({"a", "b"}, {"a"}, {"b"}, set())]
    template = relock.merge({on: synthetic_lock(set(on)) for on in every})
    assert '{%- if a and b == "drf" %}' in template
    environment = jinja2.Environment(keep_trailing_newline=True)
    for on in every:
        rendered = environment.from_string(template).render(
            a="a" in on,
            b="drf" if "b" in on else "none",
            project_slug="keel_lock_placeholder",
        )
        assert rendered == synthetic_lock(set(on)), sorted(on)


def test_relock_refuses_options_that_are_not_monotone() -> None:
    relock = relock_script()
    # beta is in the lock with no option on, but not with a on.
    locks = {
        frozenset({"a", "b"}): synthetic_lock({"a", "b"}),
        frozenset({"a"}): synthetic_lock(set()),
        frozenset({"b"}): synthetic_lock({"b"}),
        frozenset(): synthetic_lock({"b"}),
    }
    with pytest.raises(SystemExit, match="not monotone"):
        relock.merge(locks)


LOCK_COMBINATIONS = {
    "all-off": ALL_OFF,
    "all-on": ALL_ON,
    **{f"only-{name}": options(name) for name in OPTIONS},
}


@pytest.mark.parametrize(
    "answers",
    # With a single option, "only" it is "all-on": render each set once.
    list({tuple(a.items()): a for a in LOCK_COMBINATIONS.values()}.values()),
    ids=lambda answers: next(
        name for name, value in LOCK_COMBINATIONS.items() if value == answers
    ),
)
def test_the_lock_is_exact_for_every_option_combination(
    tmp_path: Path, answers: dict[str, str]
) -> None:
    """uv would write the very same uv.lock, so `uv sync --locked` works."""
    project = generate(tmp_path, answers)
    run(["uv", "lock", "--check", "--offline"], cwd=project)
    lock = (project / "uv.lock").read_text()
    assert "{" + "%" not in lock
    assert ('name = "sentry-sdk"' in lock) is (answers["use_sentry"] == "true")
    assert ('name = "djangorestframework"' in lock) is (answers["api"] == "drf")
    assert ('name = "django-anymail"' in lock) is (answers["email"] == "anymail")


RELOCK = relock_script()
Requirements = set[tuple[str, tuple[str, ...], str]]


def declared(pyproject: dict[str, Any]) -> tuple[Requirements, dict[str, Requirements]]:
    """pyproject's dependencies, and each dependency group with its includes."""
    groups = pyproject["dependency-groups"]

    def group(name: str) -> Requirements:
        found: Requirements = set()
        for entry in groups[name]:
            if isinstance(entry, dict):
                found |= group(entry["include-group"])
            else:
                found.add(requirement(entry))
        return found

    dependencies = {
        requirement(entry) for entry in pyproject["project"]["dependencies"]
    }
    return dependencies, {name: group(name) for name in groups}


def requirement(text: str) -> tuple[str, tuple[str, ...], str]:
    parsed = Requirement(text)
    return (
        canonicalize_name(parsed.name),
        tuple(sorted(parsed.extras)),
        str(parsed.specifier),
    )


def locked(entry: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
    return (
        canonicalize_name(entry["name"]),
        tuple(sorted(entry.get("extras", []))),
        str(SpecifierSet(entry.get("specifier", ""))),
    )


@pytest.mark.parametrize(
    "on", RELOCK.combinations(), ids=lambda on: "+".join(sorted(on)) or "none"
)
def test_the_lock_is_current_with_pyproject(on: frozenset[str]) -> None:
    """For every combination that scripts/relock.py locks, the lock records
    exactly the requirements pyproject.toml declares, and locks a version of
    each that meets them. Cheap: both files rendered by jinja2, no uv run."""
    answers = RELOCK.answers(on)
    pyproject = tomllib.loads(render_text("pyproject.toml.jinja", answers))
    lock = tomllib.loads(render_text("uv.lock.jinja", answers))
    dependencies, groups = declared(pyproject)

    (root,) = [p for p in lock["package"] if p["source"] == {"virtual": "."}]
    assert root["name"] == "my-project"
    metadata = root["metadata"]
    assert {locked(entry) for entry in metadata["requires-dist"]} == dependencies
    assert {
        name: {locked(entry) for entry in entries}
        for name, entries in metadata["requires-dev"].items()
    } == groups

    versions: dict[str, set[Version]] = {}
    for package in lock["package"]:
        versions.setdefault(package["name"], set()).add(Version(package["version"]))
    for name, _, specifier in dependencies.union(*groups.values()):
        assert name in versions, f"{name} is not locked"
        assert any(v in SpecifierSet(specifier) for v in versions[name]), name


def test_the_lock_template_says_how_it_is_made() -> None:
    text = (ROOT / "template" / "uv.lock.jinja").read_text()
    assert text.startswith(RELOCK.HEADER)
    assert "`uv run noxfile.py -s lock`" in RELOCK.HEADER
    rendered = jinja2.Environment(keep_trailing_newline=True).from_string(
        RELOCK.HEADER + "version = 1\n"
    )
    assert rendered.render() == "version = 1\n"
