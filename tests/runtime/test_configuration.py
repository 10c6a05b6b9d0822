"""Runtime tier: production settings check themselves, and refuse bad environments."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.processes import manage
from harness.services import production_env

pytestmark = pytest.mark.xdist_group("runtime")


def test_deploy_check_passes_with_a_throwaway_environment(
    project: Path, postgres_database: str
) -> None:
    env = production_env(postgres_database)
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
