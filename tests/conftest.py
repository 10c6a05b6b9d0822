"""pytest hooks for every tier: the marker from the folder, and xdist groups.

Shared helpers live in tests/harness/; each tier's fixtures in its conftest.py.
"""

from __future__ import annotations

import pytest

from harness.tiers import add_group_suffixes, mark_tier


def pytest_itemcollected(item: pytest.Item) -> None:
    mark_tier(item)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    add_group_suffixes(config, items)
