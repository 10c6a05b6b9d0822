"""Runtime tier: production settings check themselves, and refuse bad environments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.commands import run
from harness.processes import manage
from harness.services import (
    DEAD_DATABASE,
    PRODUCTION_SETTINGS,
    machine,
    production_env,
    production_sample,
)

pytestmark = pytest.mark.xdist_group("runtime")


def test_deploy_check_passes_with_a_throwaway_environment(
    project: Path, postgres_database: str
) -> None:
    env = production_env(project, postgres_database)
    result = manage(project, env, "check", "--deploy", "--fail-level", "WARNING")
    # The one silenced check is security.W021: HSTS preload is opt-in.
    assert "System check identified no issues (1 silenced)" in result.stdout


def test_missing_production_variables_fail_with_one_error(project: Path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "",
        "DJANGO_ALLOWED_HOSTS": "",
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }
    result = manage(project, env, "check", check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("Configuration error") == 1
    for name in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
    ):
        assert f"  - {name}: " in result.stderr


def test_invalid_production_values_are_never_echoed(project: Path) -> None:
    env = production_env(
        project,
        "mysql://admin:Sup3rSecretPassw0rd@db.internal/app",
        DJANGO_SECRET_KEY="tooshortbutsecret",
        REDIS_URL="http://cache.internal:Sup3rSecretPassw0rd",
    )
    result = manage(project, env, "check", check=False)
    assert result.returncode == 1
    for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        assert f"  - {name}: " in result.stderr
    assert "Sup3rSecret" not in result.stderr
    assert "tooshortbutsecret" not in result.stderr


def declared(project: Path) -> set[str]:
    """Every name in the project's table of variables, as the project reads it."""
    code = "from config.env import VARIABLES; print(*(row.name for row in VARIABLES))"
    python = project / ".venv/bin/python"
    return set(run([python, "-c", code], cwd=project).stdout.split())


def test_the_harness_adds_no_variable_of_its_own(project: Path) -> None:
    """The harness's production environment is the project's sample with this
    machine's values: every other name it sets is one the table declares, and
    the sample's values it keeps are the sample's."""
    names, sample = declared(project), production_sample(project)
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= set(sample) <= names
    env = production_env(project, DEAD_DATABASE)
    assert set(env) - set(sample) - set(PRODUCTION_SETTINGS) <= names
    assert set(machine(DEAD_DATABASE)) <= names
    kept = set(sample) - set(machine(DEAD_DATABASE))
    assert kept and {name: env[name] for name in kept} == {
        name: sample[name] for name in kept
    }


def test_a_variable_added_to_the_table_reaches_the_harness(
    all_off: Path, tmp_path: Path
) -> None:
    """A row added to config/env.py, with a sample, is in the harness's
    production environment with no edit to the harness."""
    shutil.copytree(all_off / "config", tmp_path / "config")
    (tmp_path / ".venv").symlink_to(all_off / ".venv")
    env_py = tmp_path / "config" / "env.py"
    table = "VARIABLES: tuple[Variable, ...] = (\n"
    row = (
        '    Variable(name="DJANGO_ADDED_FOR_A_TEST", parser="str", '
        'meaning="A new row.", sample="from-the-table"),\n'
    )
    assert table in env_py.read_text()
    env_py.write_text(env_py.read_text().replace(table, table + row))
    env = production_env(tmp_path, DEAD_DATABASE)
    assert env["DJANGO_ADDED_FOR_A_TEST"] == "from-the-table"
    assert "DJANGO_ADDED_FOR_A_TEST" not in production_env(all_off, DEAD_DATABASE)
