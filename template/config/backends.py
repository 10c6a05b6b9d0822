"""Build Django's DATABASES and CACHES entries from the parsed environment.

The settings modules share these builders so that the pool, timeout and
graceful-failure options are defined once.
"""

from typing import Any

from config.env import Environment

# Seconds a cache call may block before the site carries on without the cache.
CACHE_SOCKET_TIMEOUT = 1.0


def database(env: Environment, *, pooled: bool) -> dict[str, Any]:
    """The default database, with psycopg's pool and timeouts on PostgreSQL."""
    config = dict(env.database)
    if not config["ENGINE"].endswith("postgresql"):
        return config
    options: dict[str, Any] = {
        "connect_timeout": env.db_connect_timeout,
        "options": f"-c statement_timeout={env.db_statement_timeout_ms}",
    }
    if pooled:
        # Django's native pool (psycopg_pool) replaces persistent connections.
        options["pool"] = {
            "min_size": env.db_pool_min_size,
            "max_size": env.db_pool_max_size,
            "timeout": env.db_pool_timeout,
        }
        config["CONN_MAX_AGE"] = 0
    config["CONN_HEALTH_CHECKS"] = True
    config["OPTIONS"] = options
    return config


def caches(env: Environment) -> dict[str, Any]:
    """Redis through django-redis when REDIS_URL is set, else local memory."""
    if env.redis_url is None:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env.redis_url,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "CONNECTION_POOL_KWARGS": {"max_connections": 50},
                # A Redis outage degrades to cache misses instead of errors.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }


def mailers(env: Environment) -> dict[str, Any]:
    """Django 6.1's MAILERS: the SMTP server named by EMAIL_URL."""
    email = env.email
    options = {
        "host": email["EMAIL_HOST"],
        "port": email["EMAIL_PORT"],
        "username": email["EMAIL_HOST_USER"],
        "password": email["EMAIL_HOST_PASSWORD"],
        "use_tls": email["EMAIL_USE_TLS"],
        "use_ssl": email["EMAIL_USE_SSL"],
        # Seconds before a hung mail server fails the request that sends mail.
        "timeout": email["EMAIL_TIMEOUT"] or 10,
    }
    return {
        "default": {
            "BACKEND": email["EMAIL_BACKEND"],
            "OPTIONS": {
                key: value for key, value in options.items() if value is not None
            },
        }
    }
