"""Fast tier: an option lives in whole files, not in Jinja inside Python.

Each option's behaviour is in modules of its own, switched by file name; what
is left in the Python templates is a few module-level lines that import or
list those modules. This counts the lines of the Python templates that hold a
Jinja control tag ({% ... %}), against a budget, and refuses one inside a
function body, where it would shape code that no linter sees before rendering.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from harness.render import TEMPLATE

pytestmark = pytest.mark.fast

BUDGET = 10
TAG = re.compile(r"{%.*?%}")
EXPRESSION = re.compile(r"{{.*?}}")


def python_templates() -> list[Path]:
    """The templates that render to a .py file, whatever their name's condition."""
    return sorted(
        path
        for path in TEMPLATE.rglob("*.jinja")
        if TAG.sub("", path.name).removesuffix(".jinja").endswith(".py")
    )


def tagged_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if "{%" in line]


def tags_in_function_bodies(text: str) -> list[int]:
    """The tagged lines that shape a def's body.

    The template is parsed with both branches of every tag kept. A tag line
    shapes a body when it is inside one, when the code after it is, or when
    it closes one: the code before it is in a body and the code after it, if
    any, is indented.
    """
    lines = text.splitlines()
    code = EXPRESSION.sub("x", TAG.sub("", text))
    inside = {
        number
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for number in range(node.body[0].lineno, (node.end_lineno or 0) + 1)
    }
    plain = [n for n, line in enumerate(lines, 1) if TAG.sub("", line).strip()]
    found = []
    for number in tagged_lines(text):
        before = [n for n in plain if n < number][-1:]
        after = [n for n in plain if n > number][:1]
        closes = bool(before) and before[0] in inside
        closes = closes and (not after or lines[after[0] - 1].startswith(" "))
        if number in inside or (after and after[0] in inside) or closes:
            found.append(number)
    return found


def test_python_templates_hold_few_jinja_tags_and_none_in_a_function() -> None:
    counts, misplaced = {}, []
    for path in python_templates():
        text = path.read_text()
        name = str(path.relative_to(TEMPLATE))
        if lines := tagged_lines(text):
            counts[name] = len(lines)
        misplaced += [f"{name}:{line}" for line in tags_in_function_bodies(text)]
    assert sum(counts.values()) <= BUDGET, counts
    assert not misplaced, f"Jinja tags inside a function body: {misplaced}"


def test_the_checks_see_a_tag_in_a_function_body() -> None:
    text = (
        "import os\n{% if a %}import sys\n{% endif %}\n\n"
        "def f() -> None:\n    x = 1\n{%- if b %}\n    y = 2\n{%- endif %}\n"
    )
    assert tagged_lines(text) == [2, 3, 7, 9]
    assert tags_in_function_bodies(text) == [7, 9]
    after = "\n\ndef g() -> None:\n    pass\n{% if c %}\nZ = 1\n{% endif %}\n"
    assert tags_in_function_bodies("import os\n" + after) == []
    assert any(path.name == "env.py.jinja" for path in python_templates())
