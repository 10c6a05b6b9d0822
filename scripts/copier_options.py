"""copier.yml's options, read from copier.yml: the one list of them.

An option is a question that switches a feature on or off:

- a yes/no question (`type: bool`): on is `true`, off is `false`;
- a choice between two words (not versions, as `python_version` is): off is
  `none` when that is a choice, otherwise the default (for `email`, `smtp`,
  which needs nothing more); on is the other choice.

The tests, their pairwise matrix and scripts/relock.py derive what they need
from this, so adding an option is adding a question (and its files and tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Switch:
    """An option's two answers, as spelled on Copier's command line."""

    on: str
    off: str

    @property
    def is_bool(self) -> bool:
        return (self.on, self.off) == ("true", "false")

    def jinja_test(self, name: str) -> str:
        """The Jinja condition that holds when the option is on."""
        return name if self.is_bool else f'{name} == "{self.on}"'

    def value(self, answer: str) -> bool | str:
        """An answer as the template's Jinja sees it."""
        return answer == "true" if self.is_bool else answer


def questions(root: Path = ROOT) -> dict[str, dict[str, Any]]:
    """copier.yml's questions (its last YAML document; the others are settings
    and `!include`s, which yaml cannot read)."""
    last = (root / "copier.yml").read_text().split("\n---\n")[-1]
    return dict(yaml.safe_load(last))


def switch(spec: dict[str, Any]) -> Switch | None:
    """The two answers of a question that is an option; None for any other."""
    if spec["type"] == "bool":
        return Switch("true", "false")
    choices = [str(choice) for choice in spec.get("choices", [])]
    if not choices or not all(WORD.fullmatch(choice) for choice in choices):
        return None
    if len(choices) != 2:
        raise SystemExit(f"an option chooses between two answers, not {choices}")
    off = "none" if "none" in choices else str(spec["default"])
    (on,) = set(choices) - {off}
    return Switch(on, off)


def switches(root: Path = ROOT) -> dict[str, Switch]:
    """Every option of copier.yml, in its order, with its two answers."""
    found = {name: switch(spec) for name, spec in questions(root).items()}
    return {name: answers for name, answers in found.items() if answers is not None}


def dependency_switches(root: Path = ROOT) -> dict[str, Switch]:
    """The options that add dependencies: those template/pyproject.toml.jinja tests."""
    pyproject = (root / "template" / "pyproject.toml.jinja").read_text()
    return {
        name: answers
        for name, answers in switches(root).items()
        if re.search(rf"\b{name}\b", pyproject)
    }
