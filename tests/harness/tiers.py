"""The test tiers: one folder of tests/ each, and a pytest marker of the same name.

A test's tier follows from its folder, so a module cannot claim one tier while
living in another, and `-m fast` selects exactly the fast folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.commands import ROOT

TESTS = ROOT / "tests"
TIERS = ("fast", "gates", "runtime", "update")


def tier_of(path: Path) -> str | None:
    """The tier of a test module: the folder of tests/ it lives in, if a tier's."""
    try:
        folder = Path(path).resolve().relative_to(TESTS).parts[0]
    except (ValueError, IndexError):
        return None
    return folder if folder in TIERS else None


def mark_tier(item: pytest.Item) -> None:
    """Add the marker of the item's tier; refuse a test outside the tier folders."""
    tier = tier_of(item.path)
    if tier is None:
        raise pytest.UsageError(
            f"{item.nodeid}: test modules live in a tier folder of tests/"
            f" ({', '.join(TIERS)})"
        )
    item.add_marker(getattr(pytest.mark, tier))


def group_names(item: pytest.Item) -> list[str]:
    """The names of an item's xdist_group marks, as pytest-xdist reads them."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return sorted(names)


def add_group_suffixes(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker under `--dist loadgroup`, end each grouped item's node
    id with `@<group>`, which is what the controller's scheduler groups by.

    pytest-xdist 3.8 does this itself by setting `item._nodeid`, but pytest 9.2
    keeps node ids in `item._id` (a NodeId), so its suffix is lost and grouped
    tests are spread over every worker. tests/fast/test_harness.py shows both.
    """
    if not hasattr(config, "workerinput") or not config.getoption("loadgroup", False):
        return
    for item in items:
        names = group_names(item)
        suffix = f"@{'_'.join(names)}"
        if names and not item.nodeid.endswith(suffix):
            item._id = type(item._id).parse(item.nodeid + suffix)
