"""A Redis that does not answer, for the tests of what happens meanwhile."""

from redis.exceptions import ConnectionError as RedisConnectionError


class Unreachable:
    """The calls rate limits make, failing as django-redis reports a refused
    connection; ``calls`` counts them."""

    def __init__(self) -> None:
        self.calls = 0

    def refuse(self) -> None:
        self.calls += 1
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:9.")

    def get(self, *args: object) -> None:
        self.refuse()

    def set(self, *args: object) -> None:
        self.refuse()

    def add(self, *args: object) -> None:
        self.refuse()

    def delete(self, *args: object) -> None:
        self.refuse()
