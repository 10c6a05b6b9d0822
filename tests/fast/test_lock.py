"""Fast tier: the re-lock script, and the lock it writes for every combination."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import jinja2
import pytest

from harness.commands import ROOT, run
from harness.options import ALL_OFF, ALL_ON, OPTIONS, options
from harness.render import generate


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


def test_relock_merges_locks_into_a_template_exact_for_each() -> None:
    relock = relock_script()
    every = [frozenset(c) for c in ({"a", "b"}, {"a"}, {"b"}, set())]
    template = relock.merge({on: synthetic_lock(set(on)) for on in every})
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
