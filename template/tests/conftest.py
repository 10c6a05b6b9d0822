import importlib
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from django.core.cache import cache
from hypothesis import settings

from config.env import VARIABLES, production_sample
from config.limits import COUNTS

from .outage import Unreachable

# The rate-limit counts' clock while `redis_down` holds Redis down.
STOPPED_CLOCK = 1000.0

# Property-based tests stay quick and repeatable: the same examples on every
# run and in CI, no example database, and no per-example deadline under coverage.
settings.register_profile(
    "project", max_examples=30, deadline=None, derandomize=True, database=None
)
settings.load_profile("project")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Give every test an empty cache, and empty rate-limit counts."""
    cache.clear()
    COUNTS.local.clear()
    yield
    cache.clear()
    COUNTS.local.clear()


@pytest.fixture
def redis_down(monkeypatch: pytest.MonkeyPatch) -> Unreachable:
    """The rate-limit counts' Redis, refusing every call, with the counts'
    clock stopped: however slow the test, Redis is tried again only when the
    test moves the clock past RETRY_AFTER."""
    down = Unreachable()
    monkeypatch.setattr(COUNTS, "shared", down)
    monkeypatch.setattr(COUNTS, "failed_at", float("-inf"))
    monkeypatch.setattr("config.limits.monotonic", lambda: STOPPED_CLOCK)
    return down


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Unset every variable of config/env.py's table, and keep .env out."""
    for variable in VARIABLES:
        monkeypatch.delenv(variable.name, raising=False)
    monkeypatch.setattr("config.env.DOTENV", tmp_path / ".env")


@pytest.fixture
def production(
    monkeypatch: pytest.MonkeyPatch, clean_environment: None
) -> dict[str, str]:
    """Set the table's production sample; return it."""
    sample = production_sample()
    for name, value in sample.items():
        monkeypatch.setenv(name, value)
    return sample


@pytest.fixture
def reimport() -> Callable[[str], ModuleType]:
    """Import a settings module again, under the environment as it is then."""

    def again(name: str) -> ModuleType:
        sys.modules.pop(name, None)
        return importlib.import_module(name)

    return again


def _reports_a_bad_environment(command: list[str]) -> None:
    """The command exits 1 with the one error, no traceback and no value."""
    secret = "short-secret-never-echoed"
    result = subprocess.run(
        command,
        cwd=Path(__file__).resolve().parent.parent,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secret,
            "WEB_CONCURRENCY": "",
            "PATH": "",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(r"Configuration error: \d+ environment variables", output)
    assert "  - DJANGO_SECRET_KEY: " in output
    assert "Traceback" not in output
    assert secret not in output


@pytest.fixture
def reports_a_bad_environment() -> Callable[[list[str]], None]:
    """Asserts that an entry point, run with a bad production environment,
    exits 1 with the one error, no traceback and no value."""
    return _reports_a_bad_environment
