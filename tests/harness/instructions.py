"""The commands that the README and Copier's messages tell a user to type.

Tests read them from where the user reads them, so that a command changed in
the README is the command tested, never a copy typed into a test.
"""

from __future__ import annotations

import re

import yaml

from harness.commands import ROOT

FENCE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def section(markdown: str, heading: str) -> str:
    """The text under a `## heading`, up to the next heading of that level."""
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


def console_blocks(markdown: str) -> list[list[str]]:
    """The command lines of each ```console block, without their comments."""
    return [
        [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
        for block in FENCE.findall(markdown)
    ]


def readme_blocks(heading: str) -> list[list[str]]:
    return console_blocks(section((ROOT / "README.md").read_text(), heading))


def copier_message(name: str) -> str:
    """A `_message_after_*` of copier.yml, unrendered."""
    settings = (ROOT / "copier.yml").read_text().split("\n---\n")[0]
    return str(yaml.safe_load(settings)[f"_message_{name}"])


def message_commands(name: str) -> list[str]:
    """The indented command lines of a Copier message, without comments."""
    return [
        line.split("  #")[0].strip()
        for line in copier_message(name).splitlines()
        if line.startswith("  ") and line.strip()
    ]
