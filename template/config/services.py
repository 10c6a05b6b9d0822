"""The database and the cache: DATABASES and CACHES, from the parsed environment.

The settings modules share these builders so that the pool, timeout and
graceful-failure options are defined once.
"""

from typing import Any

from config import database as postgres
from config.variables import Environment

# Seconds a cache call may block before the site carries on without the cache.
CACHE_SOCKET_TIMEOUT = 1.0


def is_postgresql(database: dict[str, Any]) -> bool:
    """Whether a DATABASES entry is PostgreSQL: the one place that decides it."""
    return str(database["ENGINE"]).endswith("postgresql")


def database(env: Environment, *, pooled: bool) -> dict[str, Any]:
    """The default database, with psycopg's pool and timeouts on PostgreSQL."""
    config = dict(env["DATABASE_URL"])
    if not is_postgresql(config):
        return config
    options: dict[str, Any] = {
        "connect_timeout": env["DATABASE_CONNECT_TIMEOUT"],
        "options": f"-c statement_timeout={env['DATABASE_STATEMENT_TIMEOUT_MS']}",
        **postgres.TCP_OPTIONS,
    }
    if pooled:
        # Django's native pool (psycopg_pool) replaces persistent connections;
        # config/database.py bounds its waits on a dead network.
        options["pool"] = {
            "min_size": env["DATABASE_POOL_MIN_SIZE"],
            "max_size": env["DATABASE_POOL_MAX_SIZE"],
            "timeout": env["DATABASE_POOL_TIMEOUT"],
            "connection_class": postgres.bounded_connection(
                env["DATABASE_STATEMENT_TIMEOUT_MS"]
            ),
            "check": postgres.check,
        }
        config["CONN_MAX_AGE"] = 0
    config["CONN_HEALTH_CHECKS"] = True
    config["OPTIONS"] = options
    return config


def caches(env: Environment) -> dict[str, Any]:
    """Redis through django-redis when REDIS_URL is set, else local memory."""
    if env["REDIS_URL"] is None:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env["REDIS_URL"],
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "CONNECTION_POOL_KWARGS": {"max_connections": 50},
                # A Redis outage degrades to cache misses instead of errors.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
