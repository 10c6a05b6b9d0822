"""Every environment variable the project reads is parsed here, and only here.

Each settings module calls :func:`load` once with its profile. Problems are
collected instead of raised one by one, so a misconfigured deployment learns
about every missing or invalid variable from a single error. The error names
variables and what is wrong with them, never their values: values are often
secrets and error messages end up in logs.

``.env.example`` documents every variable read below.
"""

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvValidationError, ValidationError

BASE_DIR = Path(__file__).resolve().parent.parent

Profile = Literal["dev", "test", "production"]

# Placeholder for development and tests only: production refuses to start
# without DJANGO_SECRET_KEY, and `check --deploy` rejects this prefix.
INSECURE_KEY = "django-insecure-development-only-never-use-this-key-in-production"

# Read in development only; production takes its environment from the host.
DOTENV = BASE_DIR / ".env"

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"

ADMIN_URL_PATTERN = re.compile(r"^(?:[A-Za-z0-9._~-]+/)+$")


@dataclass(frozen=True, kw_only=True)
class Environment:
    """Validated configuration read from the process environment."""

    secret_key: str
    secret_key_fallbacks: list[str]
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    database: dict[str, Any]
    redis_url: str | None
    admin_url: str
    log_level: int
    db_pool_min_size: int
    db_pool_max_size: int
    db_pool_timeout: float
    db_connect_timeout: int
    db_statement_timeout_ms: int
    hsts_preload: bool
    sentry_dsn: str
    sentry_environment: str
    sentry_release: str
    sentry_traces_sample_rate: float


class InvalidEnvironment(ImproperlyConfigured):
    """Raised once, listing every missing or invalid variable."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        lines = [f"  - {name}: {' '.join(msgs)}" for name, msgs in problems.items()]
        count = len(problems)
        super().__init__(
            f"{count} environment variable{'s are' if count > 1 else ' is'} "
            "missing or invalid:\n"
            + "\n".join(lines)
            + "\nSee .env.example for what each variable expects."
        )


def _https_origins(origins: list[str]) -> None:
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme != "https" or not parts.netloc or parts.path not in ("", "/"):
            raise ValidationError(
                "Each origin must look like https://example.com (scheme and host only)."
            )


def _admin_url(value: str) -> None:
    if not ADMIN_URL_PATTERN.match(value):
        raise ValidationError(
            "Must be a relative path ending with a slash, such as 'admin/'."
        )


def _secret_key(value: str) -> None:
    if len(value) < 50 or len(set(value)) < 5:
        raise ValidationError("Must be at least 50 characters with 5 distinct ones.")
    if value.startswith("django-insecure-"):
        raise ValidationError("Must not be the development placeholder.")


def _secret_keys(values: list[str]) -> None:
    for value in values:
        _secret_key(value)


def _redis_url(value: str) -> None:
    if urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise ValidationError("Must be a redis://, rediss:// or unix:// URL.")


def _optional_redis_url(value: str) -> None:
    if value:
        _redis_url(value)


def _optional_dsn(value: str) -> None:
    parts = urlsplit(value)
    if value and (parts.scheme not in ("https", "http") or not parts.username):
        raise ValidationError("Must be the project's DSN from Sentry, or empty.")


def _fraction(value: float) -> None:
    if not 0 <= value <= 1:
        raise ValidationError("Must be a number from 0 to 1.")


def _positive(value: float) -> None:
    if value <= 0:
        raise ValidationError("Must be a positive number.")


def _non_empty(value: list[str]) -> None:
    if not value:
        raise ValidationError("Must list at least one host.")


def _redact(name: str, messages: list[str]) -> list[str]:
    """Belt and braces: never let a raw value slip into an error message."""
    raw = os.environ.get(name, "")
    if len(raw) < 4:
        return [str(msg) for msg in messages]
    return [str(msg).replace(raw, "***") for msg in messages]


def web_concurrency() -> int:
    """Gunicorn workers: WEB_CONCURRENCY, else 2 per CPU plus one, capped at 8.

    The cap keeps a container that sees every core of a large host from
    opening more database connections than PostgreSQL allows.
    """
    default = min(2 * (os.cpu_count() or 1) + 1, 8)
    if not os.environ.get("WEB_CONCURRENCY"):
        return default
    env = Env(eager=False)
    workers = env.int("WEB_CONCURRENCY", default, validate=_positive)
    try:
        env.seal()
    except EnvValidationError:
        raise InvalidEnvironment(
            {"WEB_CONCURRENCY": ["Must be a positive whole number."]}
        ) from None
    return workers


def load(profile: Profile) -> Environment:
    """Parse the environment for ``profile`` or raise :class:`InvalidEnvironment`."""
    production = profile == "production"
    env = Env(eager=False)
    if profile == "dev":
        env.read_env(DOTENV, recurse=False, override=False)

    redis_url: str | None
    if production:
        secret_key = env.str("DJANGO_SECRET_KEY", validate=_secret_key)
        allowed_hosts = env.list("DJANGO_ALLOWED_HOSTS", validate=_non_empty)
        database = env.dj_db_url("DATABASE_URL")
        redis_url = env.str("REDIS_URL", validate=_redis_url)
    else:
        # Empty values (as in a copied .env.example) fall back to local defaults.
        secret_key = env.str("DJANGO_SECRET_KEY", "") or INSECURE_KEY
        allowed_hosts = env.list("DJANGO_ALLOWED_HOSTS", LOCAL_HOSTS) or LOCAL_HOSTS
        database = env.dj_db_url("DATABASE_URL", SQLITE_URL)
        redis_url = env.str("REDIS_URL", "", validate=_optional_redis_url) or None

    environment = Environment(
        secret_key=secret_key,
        secret_key_fallbacks=env.list(
            "DJANGO_SECRET_KEY_FALLBACKS", [], validate=_secret_keys
        ),
        allowed_hosts=allowed_hosts,
        csrf_trusted_origins=env.list(
            "DJANGO_CSRF_TRUSTED_ORIGINS", [], validate=_https_origins
        ),
        database=database,
        redis_url=redis_url,
        admin_url=env.str("DJANGO_ADMIN_URL", "admin/", validate=_admin_url),
        log_level=env.log_level("DJANGO_LOG_LEVEL", logging.INFO),
        db_pool_min_size=env.int("DATABASE_POOL_MIN_SIZE", 2, validate=_positive),
        db_pool_max_size=env.int("DATABASE_POOL_MAX_SIZE", 10, validate=_positive),
        db_pool_timeout=env.float("DATABASE_POOL_TIMEOUT", 5.0, validate=_positive),
        db_connect_timeout=env.int("DATABASE_CONNECT_TIMEOUT", 3, validate=_positive),
        db_statement_timeout_ms=env.int(
            "DATABASE_STATEMENT_TIMEOUT_MS", 25_000, validate=_positive
        ),
        hsts_preload=env.bool("DJANGO_HSTS_PRELOAD", False),
        sentry_dsn=env.str("SENTRY_DSN", "", validate=_optional_dsn),
        sentry_environment=env.str("SENTRY_ENVIRONMENT", profile),
        sentry_release=env.str("SENTRY_RELEASE", ""),
        sentry_traces_sample_rate=env.float(
            "SENTRY_TRACES_SAMPLE_RATE", 0.0, validate=_fraction
        ),
    )

    problems: dict[str, list[str]] = {}
    try:
        env.seal()
    except EnvValidationError as exc:
        errors = exc.error_messages
        for name, messages in errors.items() if isinstance(errors, dict) else ():
            problems[str(name)] = _redact(str(name), messages)
    if production and database and not database["ENGINE"].endswith("postgresql"):
        problems["DATABASE_URL"] = ["Must be a postgres:// URL in production."]
    pool_min, pool_max = environment.db_pool_min_size, environment.db_pool_max_size
    if pool_min and pool_max and pool_min > pool_max:
        problems["DATABASE_POOL_MIN_SIZE"] = ["Must not exceed DATABASE_POOL_MAX_SIZE."]
    if problems:
        raise InvalidEnvironment(dict(sorted(problems.items())))
    return environment
