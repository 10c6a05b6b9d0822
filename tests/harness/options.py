"""copier.yml's questions, and the options among them."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from harness.commands import ROOT


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
    "use_sentry": Option("true", "false", "sentry"),
    "use_docker": Option("true", "false", "docker"),
    "use_celery": Option("true", "false", "celery"),
    "api": Option("drf", "none", "rest_framework"),
    "email": Option("anymail", "smtp", "anymail"),
}


def options(*on: str) -> dict[str, str]:
    """Answers that switch on the named options and every other one off."""
    assert set(on) <= set(OPTIONS), on
    return {
        name: option.on if name in on else option.off
        for name, option in OPTIONS.items()
    }


ALL_OFF = options()
ALL_ON = options(*OPTIONS)


def questions() -> dict[str, dict[str, object]]:
    """copier.yml's questions (its last YAML document; the others are settings
    and `!include`s, which yaml cannot read)."""
    last = (ROOT / "copier.yml").read_text().split("\n---\n")[-1]
    return dict(yaml.safe_load(last))


def default_answer(name: str) -> str:
    """copier.yml's default for a question, spelled as on the command line."""
    return str(questions()[name]["default"]).lower()
