"""Runtime tier fixtures: installed renders, fresh databases, a hung port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.options import ALL_OFF, ALL_ON
from harness.processes import manage, silent_port
from harness.render import generate, install
from harness.services import DEAD_DATABASE
from harness.services import postgres_database as postgres_database_url
from harness.services import production_env


def prepared(tmp_path_factory: pytest.TempPathFactory, answers: dict[str, str]) -> Path:
    """A rendered, installed project with its static files collected."""
    project = generate(tmp_path_factory.mktemp("runtime"), answers)
    install(project)
    # Production pages need the hashed static files, as in any deployment.
    manage(
        project, production_env(project, DEAD_DATABASE), "collectstatic", "--no-input"
    )
    return project


# The two representative combinations the runtime tier runs on (issue 6): every
# option on, and every option off. Tests of one option use the one that has it.
# Session scope: each is rendered and installed once per worker, however many
# modules use it; tests never change them.
@pytest.fixture(scope="session")
def all_on(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepared(tmp_path_factory, ALL_ON)


@pytest.fixture(scope="session")
def all_off(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepared(tmp_path_factory, ALL_OFF)


@pytest.fixture(scope="module", params=["all_on", "all_off"])
def project(request: pytest.FixtureRequest) -> Path:
    """Each test that takes it runs on both combinations."""
    return Path(request.getfixturevalue(request.param))


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never answers: a hung database."""
    with silent_port() as port:
        yield port


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the local server; dropped afterwards."""
    with postgres_database_url() as url:
        yield url
