"""Fast tier: copier.yml is the one list of options; each option adds its files,
and leaves no trace when it is off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from copier_options import Switch, switch
from harness.options import (
    OPTIONS,
    TEMPLATE,
    TRACES,
    default_answer,
    option_files,
    options,
    questions,
)
from harness.render import generate, rendered_files

# A Jinja condition on an answer: `{% if use_celery %}`, `{%- elif api == ...`.
CONDITION = re.compile(r"\{%-?\s*(?:el)?if\s+(?:not\s+)?([a-z_]+)")


def test_the_options_are_the_questions_the_template_switches_on() -> None:
    """Every question that a condition in the template's files or file names
    tests is an option, and back; each has its two answers and a trace word."""
    tested: set[str] = set()
    for path in TEMPLATE.rglob("*"):
        tested.update(CONDITION.findall(str(path.relative_to(TEMPLATE))))
        if path.is_file():
            tested.update(CONDITION.findall(path.read_text()))
    every = questions()
    assert set(OPTIONS) == tested & set(every)
    assert set(TRACES) == set(OPTIONS)
    for name, option in OPTIONS.items():
        spec = every[name]
        answers = {option.on, option.off}
        if spec["type"] == "bool":
            assert answers == {"true", "false"}, name
        else:
            assert answers == set(spec["choices"]), name


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"type": "bool", "default": True}, Switch("true", "false")),
        ({"type": "str", "choices": ["drf", "none"], "default": "drf"},
         Switch("drf", "none")),
        ({"type": "str", "choices": ["smtp", "anymail"], "default": "smtp"},
         Switch("anymail", "smtp")),
        ({"type": "str", "choices": ["3.12", "3.13"], "default": "3.13"}, None),
        ({"type": "str", "default": "UTC"}, None),
    ],
    ids=["bool", "none-is-off", "default-is-off", "versions", "free-text"],
)  # fmt: skip
def test_which_questions_are_options_and_their_off_answer(
    spec: dict[str, object], expected: Switch | None
) -> None:
    assert switch(spec) == expected


def test_an_option_chooses_between_two_answers() -> None:
    with pytest.raises(SystemExit, match="two answers"):
        switch({"type": "str", "choices": ["a", "b", "none"], "default": "a"})


def test_the_files_of_an_option_come_from_the_template_file_names() -> None:
    assert "config/celery/app.py" in option_files("use_celery")
    assert "shop/api/views.py" in option_files("api", "shop")
    assert "Dockerfile" in option_files("use_docker")
    assert not {"config/celery/app.py", "Dockerfile"} & set(option_files("use_sentry"))
    # Both email answers render config/mail.py: a variant, not an added file.
    assert "config/mail.py" not in option_files("email")


@pytest.mark.parametrize("option", OPTIONS)
def test_an_option_that_is_off_leaves_no_trace(tmp_path: Path, option: str) -> None:
    """No file, dependency, variable, setting or doc names it; the others stay."""
    project = generate(tmp_path, options(*(set(OPTIONS) - {option})))
    slug = yaml.safe_load((project / ".copier-answers.yml").read_text())["project_slug"]
    word = OPTIONS[option].trace
    traces = [
        str(path.relative_to(project))
        for path in rendered_files(project)
        if path.name != ".copier-answers.yml"
        and (word in str(path.relative_to(project)).lower()
             or word in path.read_text().lower())
    ]  # fmt: skip
    assert not traces, f"{option} is off, yet these name {word}: {traces}"
    for other in set(OPTIONS) - {option}:
        for name in option_files(other, slug):
            assert (project / name).is_file(), f"{other} is on, {name} is missing"


def test_the_defaults(tmp_path: Path) -> None:
    """The defaults are copier.yml's, and their files are there."""
    project = generate(tmp_path)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    for option in OPTIONS:
        default = default_answer(option)
        assert str(answers[option]).lower() == default
        on = default == OPTIONS[option].on
        for name in option_files(option, answers["project_slug"]):
            assert (project / name).is_file() is on, name
