from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Give every test an empty cache."""
    cache.clear()
    yield
    cache.clear()
