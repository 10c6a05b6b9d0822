"""The Node tools of the tests, which .ci/install-node-tools installs from
.ci/package-lock.json into .ci/.tools/node."""

from __future__ import annotations

import shutil

import pytest

from harness.commands import ROOT

NODE_MODULES = ROOT / ".ci/.tools/node/node_modules"


def node_tool(relative: str, command: str | None = None) -> str:
    """A file of an installed Node package, ``relative`` to node_modules;
    else ``command`` from PATH, if one is named."""
    path = NODE_MODULES / relative
    if path.exists():
        return str(path)
    found = shutil.which(command) if command else None
    if found is None:
        pytest.fail(
            f"{relative} is missing: run .ci/install-node-tools (bash .ci/run does)",
            pytrace=False,
        )
    return found
