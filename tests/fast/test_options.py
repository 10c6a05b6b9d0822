"""Fast tier: each option adds its files, and leaves no trace when it is off."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.options import OPTIONS, default_answer, options, questions
from harness.render import generate, rendered_files


def test_options_are_the_questions_that_switch_features() -> None:
    """Every yes/no question and every two-way choice is an option, and back."""
    switches = {
        name: spec
        for name, spec in questions().items()
        if spec["type"] == "bool" or name in OPTIONS
    }
    assert sorted(switches) == sorted(OPTIONS)
    for name, spec in switches.items():
        option = OPTIONS[name]
        if spec["type"] == "bool":
            assert (option.on, option.off) == ("true", "false"), name
        else:
            assert sorted(spec["choices"]) == sorted([option.on, option.off]), name
    assert set(OPTION_FILES) == set(OPTIONS)


# The files each option adds; the rest of it is a few lines in shared files.
OPTION_FILES = {
    "use_sentry": ["config/sentry.py", "tests/test_sentry.py"],
    "use_docker": ["Dockerfile", "compose.yaml", ".dockerignore"],
    "use_celery": [
        "config/celery.py",
        "my_project/core/tasks.py",
        "tests/test_celery.py",
    ],
    "api": [
        "my_project/api/throttling.py",
        "my_project/api/urls.py",
        "my_project/api/views.py",
        "tests/test_api.py",
    ],
    # A choice between two ways of sending mail: lines in shared files only.
    "email": [],
}


@pytest.mark.parametrize("option", OPTIONS)
def test_an_option_that_is_off_leaves_no_trace(tmp_path: Path, option: str) -> None:
    """No file, dependency, variable, setting or doc names it; the others stay."""
    project = generate(tmp_path, options(*(set(OPTIONS) - {option})))
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
        for name in OPTION_FILES[other]:
            assert (project / name).is_file(), f"{other} is on, {name} is missing"


def test_the_defaults(tmp_path: Path) -> None:
    """The defaults are copier.yml's, and their files are there."""
    project = generate(tmp_path)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    for option, files in OPTION_FILES.items():
        default = default_answer(option)
        assert str(answers[option]).lower() == default
        on = default == OPTIONS[option].on
        for name in files:
            assert (project / name).is_file() is on, name
