"""The counts behind rate limits, which keep counting while Redis is down.

The default cache ignores Redis errors, which is right for a cache but wrong
for rate limits: every request would look like a client's first while Redis
is down, and the limits would turn off. allauth's limits go the other way and
refuse everyone, because they cannot take the lock they keep in the cache.
:data:`COUNTS` reaches Redis without ignoring its errors and, while it fails,
counts in this process's memory: each worker then limits on its own (a client
may get the rate once per worker) until Redis answers again. The REST API's
throttles and the accounts' limits both count here.
"""

from collections.abc import Callable
from time import monotonic
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

# Seconds the counts stay in memory after Redis failed, before Redis is tried
# again, so that an outage does not cost every request a timeout.
RETRY_AFTER = 5.0


class LimitCounts(BaseCache):
    """The calls that rate limits make (get, set, add, delete), on the shared
    cache while it answers and on this process's memory while it does not."""

    def __init__(self) -> None:
        super().__init__({})
        # Local-memory caches of one name share their entries: a name each.
        self.local = LocMemCache(
            f"limits-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 10_000}}
        )
        self.shared: BaseCache | None = None
        self.failed_at = float("-inf")

    def strict(self) -> BaseCache:
        """The default cache, built again with Redis errors raised, not ignored."""
        if self.shared is None:
            config = settings.CACHES["default"]
            if "IGNORE_EXCEPTIONS" in config.get("OPTIONS", {}):
                options = {**config["OPTIONS"], "IGNORE_EXCEPTIONS": False}
                backend = import_string(config["BACKEND"])
                location = config["LOCATION"]
                self.shared = backend(location, {**config, "OPTIONS": options})
            else:
                self.shared = caches["default"]
        return self.shared

    def _call(self, name: str, *args: Any) -> Any:
        if monotonic() - self.failed_at >= RETRY_AFTER:
            method: Callable[..., Any] = getattr(self.strict(), name)
            try:
                return method(*args)
            except RedisError:
                self.failed_at = monotonic()
        return getattr(self.local, name)(*args)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", key, default, version)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = None,
        version: int | None = None,
    ) -> None:
        self._call("set", key, value, timeout, version)
        # Counted here as well, so that an outage starts from the counts so far.
        self.local.set(key, value, timeout, version)

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = None,
        version: int | None = None,
    ) -> bool:
        return bool(self._call("add", key, value, timeout, version))

    def delete(self, key: str, version: int | None = None) -> bool:
        self.local.delete(key, version)
        return bool(self._call("delete", key, version))


COUNTS = LimitCounts()
