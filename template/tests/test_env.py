"""The environment is parsed in one place and fails with one, value-free error."""

import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from config.env import INSECURE_KEY, VARIABLES, load, production_sample, web_concurrency
from config.variables import InvalidEnvironment

pytestmark = pytest.mark.usefixtures("clean_environment")

Reimport = Callable[[str], ModuleType]
PRODUCTION = production_sample()
GOOD_KEY = PRODUCTION["DJANGO_SECRET_KEY"]
REQUIRED = {row.name for row in VARIABLES if row.required_in_production}


def set_environment(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_development_needs_no_variables() -> None:
    env = load("dev")
    assert env["DJANGO_SECRET_KEY"] == INSECURE_KEY
    assert env["DATABASE_URL"]["ENGINE"] == "django.db.backends.sqlite3"
    assert env["REDIS_URL"] is None
    assert "localhost" in env["DJANGO_ALLOWED_HOSTS"]


def test_production_reads_every_required_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_environment(monkeypatch, **PRODUCTION)
    env = load("production")
    assert env["DJANGO_SECRET_KEY"] == GOOD_KEY
    assert env["DJANGO_ALLOWED_HOSTS"] == ["example.com", "www.example.com"]
    assert env["DATABASE_URL"]["ENGINE"] == "django.db.backends.postgresql"
    assert env["DATABASE_URL"]["HOST"] == "db.internal"
    assert env["REDIS_URL"] == PRODUCTION["REDIS_URL"]
    assert env["DJANGO_ADMIN_URL"] == "admin/"
    assert env["DJANGO_HSTS_PRELOAD"] is False


def test_missing_production_variables_are_listed_in_one_error() -> None:
    with pytest.raises(InvalidEnvironment) as caught:
        load("production")
    message = str(caught.value)
    for name in REQUIRED:
        assert f"{name}: " in message
    assert message.startswith(
        f"{len(REQUIRED)} environment variables are missing or invalid"
    )
    assert set(caught.value.problems) == REQUIRED == set(PRODUCTION)


def test_invalid_values_are_named_but_never_echoed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = {
        "DJANGO_SECRET_KEY": "short-secret-value",
        "DATABASE_URL": "mysql://root:hunter2-pw@db/app",
        "REDIS_URL": "http://cache.internal:6379",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "http://insecure.example",
        "DJANGO_ADMIN_URL": "/leading-slash-admin",
        "DJANGO_LOG_LEVEL": "LOUDEST",
        "DATABASE_POOL_MAX_SIZE": "lots-of-them",
        "DATABASE_STATEMENT_TIMEOUT_MS": "-5",
        "DJANGO_TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal",
    }
    set_environment(monkeypatch, **{**PRODUCTION, **bad})
    with pytest.raises(InvalidEnvironment) as caught:
        load("production")
    message = str(caught.value)
    assert set(caught.value.problems) == set(bad)
    for value in bad.values():
        assert value not in message
    assert "hunter2" not in message


def test_optional_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    set_environment(
        monkeypatch,
        **PRODUCTION,
        DJANGO_CSRF_TRUSTED_ORIGINS="https://example.com,https://www.example.com/",
        DJANGO_LOG_LEVEL="warning",
        DATABASE_POOL_MAX_SIZE="25",
    )
    env = load("production")
    assert env["DJANGO_CSRF_TRUSTED_ORIGINS"] == [
        "https://example.com",
        "https://www.example.com/",
    ]
    assert env["DJANGO_LOG_LEVEL"] == logging.WARNING
    assert env["DATABASE_POOL_MAX_SIZE"] == 25


def test_trusted_proxies_default_to_loopback_and_refuse_an_empty_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_environment(monkeypatch, **PRODUCTION)
    assert load("production")["DJANGO_TRUSTED_PROXIES"] == ["127.0.0.1", "::1"]
    set_environment(monkeypatch, DJANGO_TRUSTED_PROXIES="10.0.0.0/8,::1")
    assert load("production")["DJANGO_TRUSTED_PROXIES"] == ["10.0.0.0/8", "::1"]
    set_environment(monkeypatch, DJANGO_TRUSTED_PROXIES="")
    with pytest.raises(InvalidEnvironment) as caught:
        load("production")
    assert set(caught.value.problems) == {"DJANGO_TRUSTED_PROXIES"}


def test_production_needs_at_least_one_allowed_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_environment(monkeypatch, **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""})
    with pytest.raises(InvalidEnvironment) as caught:
        load("production")
    assert list(caught.value.problems) == ["DJANGO_ALLOWED_HOSTS"]


def test_development_treats_empty_values_as_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_environment(monkeypatch, DJANGO_SECRET_KEY="", REDIS_URL="")
    env = load("dev")
    assert env["DJANGO_SECRET_KEY"] == INSECURE_KEY
    assert env["REDIS_URL"] is None


def test_development_validates_an_optional_redis_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")
    assert load("dev")["REDIS_URL"] == "redis://127.0.0.1:6379/1"
    monkeypatch.setenv("REDIS_URL", "127.0.0.1:6379")
    with pytest.raises(InvalidEnvironment, match="REDIS_URL"):
        load("dev")


def test_a_weak_or_placeholder_secret_key_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key in (INSECURE_KEY, "a" * 60):
        set_environment(monkeypatch, **{**PRODUCTION, "DJANGO_SECRET_KEY": key})
        with pytest.raises(InvalidEnvironment, match="DJANGO_SECRET_KEY"):
            load("production")


def test_previous_keys_are_accepted_during_a_rotation(
    monkeypatch: pytest.MonkeyPatch, reimport: Reimport
) -> None:
    old = "old-" + "klmnopqrst" * 6
    set_environment(monkeypatch, **PRODUCTION, DJANGO_SECRET_KEY_FALLBACKS=old)
    assert load("production")["DJANGO_SECRET_KEY_FALLBACKS"] == [old]
    settings = reimport("config.settings.production")
    assert settings.SECRET_KEY_FALLBACKS == [old]
    monkeypatch.setenv("DJANGO_SECRET_KEY_FALLBACKS", f"{old},weak-old-key")
    with pytest.raises(InvalidEnvironment) as caught:
        load("production")
    assert list(caught.value.problems) == ["DJANGO_SECRET_KEY_FALLBACKS"]
    assert "weak-old-key" not in str(caught.value)


def test_the_sender_must_be_an_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_DEFAULT_FROM_EMAIL", "nobody")
    with pytest.raises(InvalidEnvironment, match="DJANGO_DEFAULT_FROM_EMAIL"):
        load("dev")


def test_pool_bounds_must_be_consistent(monkeypatch: pytest.MonkeyPatch) -> None:
    set_environment(
        monkeypatch,
        **PRODUCTION,
        DATABASE_POOL_MIN_SIZE="20",
        DATABASE_POOL_MAX_SIZE="5",
    )
    with pytest.raises(InvalidEnvironment) as caught:
        load("production")
    assert list(caught.value.problems) == ["DATABASE_POOL_MIN_SIZE"]


def test_a_single_problem_reads_naturally(monkeypatch: pytest.MonkeyPatch) -> None:
    set_environment(monkeypatch, **{**PRODUCTION, "REDIS_URL": "memcached://x"})
    with pytest.raises(InvalidEnvironment) as caught:
        load("production")
    assert str(caught.value).startswith("1 environment variable is missing")


def test_only_development_reads_a_dotenv_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Loading .env sets the variable for the process: make monkeypatch undo it.
    monkeypatch.setenv("DJANGO_LOG_LEVEL", "INFO")
    monkeypatch.delenv("DJANGO_LOG_LEVEL")
    (tmp_path / ".env").write_text("DJANGO_LOG_LEVEL=WARNING\n")
    assert load("test")["DJANGO_LOG_LEVEL"] == logging.INFO
    assert load("dev")["DJANGO_LOG_LEVEL"] == logging.WARNING


@pytest.fixture
def production_settings(
    monkeypatch: pytest.MonkeyPatch, reimport: Reimport
) -> Callable[..., ModuleType]:
    """The production settings, imported under the sample plus ``values``."""

    def settings(**values: str) -> ModuleType:
        set_environment(monkeypatch, **PRODUCTION, **values)
        return reimport("config.settings.production")

    return settings


def test_production_settings_are_hardened(
    production_settings: Callable[..., ModuleType],
) -> None:
    settings = production_settings(DJANGO_ADMIN_URL="staff-only/")
    assert settings.DEBUG is False
    assert settings.ADMIN_URL == "staff-only/"
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.LOGGING["formatters"]["default"]["()"].__name__ == "JsonFormatter"
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-")
    assert settings.SILENCED_SYSTEM_CHECKS == ["security.W021"]
    database = settings.DATABASES["default"]
    assert database["OPTIONS"]["pool"]["max_size"] == 10
    assert database["OPTIONS"]["options"] == "-c statement_timeout=25000"
    assert database["CONN_HEALTH_CHECKS"] is True
    cache = settings.CACHES["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_hsts_preload_is_opt_in(
    production_settings: Callable[..., ModuleType],
) -> None:
    settings = production_settings(DJANGO_HSTS_PRELOAD="true")
    assert settings.SECURE_HSTS_PRELOAD is True
    assert not hasattr(settings, "SILENCED_SYSTEM_CHECKS")


def test_development_settings_load_without_variables(reimport: Reimport) -> None:
    settings = reimport("config.settings.dev")
    assert settings.DEBUG is True
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "OPTIONS" not in settings.DATABASES["default"]


def test_unpooled_postgres_still_gets_timeouts(
    monkeypatch: pytest.MonkeyPatch, reimport: Reimport
) -> None:
    monkeypatch.setenv("DATABASE_URL", PRODUCTION["DATABASE_URL"])
    settings = reimport("config.settings.dev")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "pool" not in options
    assert options["connect_timeout"] == 3


def test_web_concurrency_defaults_to_a_capped_cpu_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert web_concurrency() == 5
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    assert web_concurrency() == 8
    monkeypatch.setenv("WEB_CONCURRENCY", "")
    assert web_concurrency() == 8
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert web_concurrency() == 3


@pytest.mark.parametrize("value", ["-3", "many", "2.5", "١٢"])
def test_web_concurrency_must_be_a_positive_integer(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", value)
    with pytest.raises(InvalidEnvironment, match="WEB_CONCURRENCY") as caught:
        web_concurrency()
    assert value not in str(caught.value).replace("WEB_CONCURRENCY", "")
