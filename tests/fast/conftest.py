"""Fast tier fixtures: the three renders most checks run on."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.render import RENDERS, generate


# Session scope: each render is made once per worker and shared by the modules
# that read it; none of them changes it.
@pytest.fixture(scope="session", params=list(RENDERS))
def rendered(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The defaults, custom answers with every option on, and every option off."""
    return generate(tmp_path_factory.mktemp(request.param), RENDERS[request.param])
