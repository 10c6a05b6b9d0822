"""The readiness checks of the database and the cache.

Each check returns when its dependency answers and raises when it does not;
/health/ready/ runs them (see readiness.py).
"""

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection

# Seconds a readiness check may wait for a pooled database connection. Shorter
# than DATABASE_POOL_TIMEOUT, so that a check the probe gave up on (after its
# READY_BUDGET, see views.py) ends soon after.
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
    # django-redis swallows connection errors (IGNORE_EXCEPTIONS), so a write
    # that does not report success, or a round trip that loses the value, is
    # how an outage shows up here. Stopping at the failed write keeps a hung
    # Redis to one socket timeout.
    key = f"health:{secrets.token_hex(8)}"
    if not cache.add(key, "ok", timeout=5):
        raise ConnectionError("cache write failed")
    found = cache.get(key)
    cache.delete(key)
    if found != "ok":
        raise ConnectionError("cache round trip failed")
