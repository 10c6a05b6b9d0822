"""Health endpoints for load balancers and orchestrators.

``live`` answers as long as the process can serve a request and touches no
dependency, so a database outage never gets healthy web workers restarted.
``ready`` checks every dependency a request needs and answers 503, naming the
failing part, when one is down, so traffic is routed elsewhere.
"""

import logging
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Seconds a readiness check may wait for a pooled database connection. Shorter
# than DATABASE_POOL_TIMEOUT, so a dead database is reported within 2 seconds.
POOL_CHECK_TIMEOUT = 1.0


def check_database() -> None:
    pool = getattr(connection, "pool", None)
    if pool is not None:
        # Borrow from the pool directly: Django would wait the pool's full timeout.
        # Like Django, open the pool on first use (a no-op once it is open).
        pool.open()
        with pool.connection(timeout=POOL_CHECK_TIMEOUT) as conn:
            row = conn.execute("SELECT 1").fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    if row != (1,):
        raise DatabaseError("unexpected answer to SELECT 1")


def check_cache() -> None:
    # django-redis swallows connection errors (IGNORE_EXCEPTIONS), so a round
    # trip that loses the value is how an outage shows up here.
    key = f"health:{secrets.token_hex(8)}"
    cache.set(key, "ok", timeout=5)
    found = cache.get(key)
    cache.delete(key)
    if found != "ok":
        raise ConnectionError("cache round trip failed")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
}


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            # Details go to the log, never to an unauthenticated client. A
            # warning, not an error: an outage is alerted on from the probes,
            # and must not reach the error tracker once per probe.
            logger.warning("Readiness check %r failed", name, exc_info=True)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
