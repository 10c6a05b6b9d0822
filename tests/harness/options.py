"""copier.yml's questions, and the options among them (scripts/copier_options.py
says which questions are options, and their two answers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from copier_options import ROOT, questions, switches

TEMPLATE = ROOT / "template"
SWITCHES = switches()
# File names are rendered as Copier renders them: an unknown name renders empty.
NAMES = jinja2.Environment(undefined=jinja2.ChainableUndefined)

# The one fact about an option that copier.yml cannot hold: a word that only
# its on answer puts into a project. tests/fast/test_options.py checks that
# this names every option and nothing else.
TRACES = {
    "use_sentry": "sentry",
    "use_docker": "docker",
    "use_celery": "celery",
    "api": "rest_framework",
    "email": "anymail",
}


@dataclass(frozen=True)
class Option:
    """A question of copier.yml that adds files, settings and dependencies.

    ``on`` is the answer that adds them and ``off`` the one that leaves no
    trace of them; ``trace`` is a word that only the ``on`` answer puts into
    the project.
    """

    on: str
    off: str
    trace: str


OPTIONS = {
    name: Option(switch.on, switch.off, TRACES.get(name, ""))
    for name, switch in SWITCHES.items()
}


def hidden_default(include: str, name: str) -> Any:
    """The default of the hidden question `name` in includes/<include>.yml."""
    text = (ROOT / "includes" / f"{include}.yml").read_text()
    return yaml.safe_load(text)[name]["default"]


def hidden_names(include: str, name: str) -> list[str]:
    """A hidden question's names: one string of names, which the validators
    split."""
    return str(hidden_default(include, name)).split()


def options(*on: str) -> dict[str, str]:
    """Answers that switch on the named options and every other one off."""
    assert set(on) <= set(OPTIONS), on
    return {
        name: option.on if name in on else option.off
        for name, option in OPTIONS.items()
    }


ALL_OFF = options()
ALL_ON = options(*OPTIONS)


def value_choices() -> dict[str, list[str]]:
    """The questions with choices that are not options (python_version), and
    their choices."""
    return {
        name: [str(choice) for choice in spec["choices"]]
        for name, spec in questions().items()
        if "choices" in spec and name not in OPTIONS
    }


def default_answer(name: str) -> str:
    """copier.yml's default for a question, spelled as on the command line."""
    return str(questions()[name]["default"]).lower()


def rendered_name(relative: Path, answers: dict[str, str], slug: str) -> str | None:
    """The path Copier writes a template file to; None when it writes none
    (a part of the path renders empty)."""
    context = {
        "project_slug": slug,
        **{name: SWITCHES[name].value(answer) for name, answer in answers.items()},
    }
    # Copier takes the suffix off before it renders the name.
    names = [*relative.parts[:-1], relative.name.removesuffix(".jinja")]
    parts = [NAMES.from_string(part).render(context) for part in names]
    return "/".join(parts) if all(parts) else None


def option_files(name: str, slug: str = "my_project") -> list[str]:
    """The files that option ``name`` adds, read from the template's file names:
    each exists with it on (every other option off) and not with it off."""
    on, off = options(name), options()
    paths = [
        p.relative_to(TEMPLATE) for p in sorted(TEMPLATE.rglob("*")) if p.is_file()
    ]
    # A file the other answer renders under the same name is a variant.
    kept = {rendered_name(relative, off, slug) for relative in paths}
    found = []
    for relative in paths:
        added = rendered_name(relative, on, slug)
        if added and not rendered_name(relative, off, slug) and added not in kept:
            found.append(added)
    return found
