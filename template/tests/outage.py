"""A Redis that does not answer, for the tests of what happens meanwhile."""

from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import ConnectionError as RedisConnectionError


class Unreachable(LocMemCache):
    """A cache whose server does not answer, as django-redis reports it."""

    def __init__(self) -> None:
        super().__init__("unreachable", {})
        self.calls = 0

    def _refuse(self, *args: object, **kwargs: object) -> None:
        self.calls += 1
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:9.")

    get = set = add = delete = _refuse
