"""Hypothesis strategies for config/env.py's table: valid and malformed values.

tests/test_env_properties.py feeds them to :func:`config.env.load`; an option's
own variables have their cases beside its tests, in ``ENV_CASES``.
"""

import string
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import redis
from hypothesis import strategies as st
from hypothesis.provisional import domains

from config.variables import Environment

# Raises when the consumer of the variable (the library that reads the parsed
# value) refuses what the table accepted.
Consumer = Callable[[Environment, str], None]


def accept_anything(env: Environment, text: str) -> None:
    """For a value whose consumer takes any text."""


@dataclass(frozen=True)
class Cases:
    """What a variable's text may be, what it must not be, and who reads it."""

    valid: st.SearchStrategy[str]
    # None for free text, which nothing refuses.
    malformed: st.SearchStrategy[str] | None
    consumer: Consumer = accept_anything
    # For a URL: the URL with {host} for its host.
    url: str = ""


# Arabic-Indic digits: Python's int() reads them, gunicorn and libpq do not.
FOREIGN_DIGITS = str.maketrans(string.digits, "٠١٢٣٤٥٦٧٨٩")
WHITESPACE = st.sampled_from([" ", "\t", "\n", "\u00a0"])


def foreign(numbers: st.SearchStrategy[int]) -> st.SearchStrategy[str]:
    return numbers.map(lambda number: str(number).translate(FOREIGN_DIGITS))


def padded(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The values with whitespace before or after them."""
    return st.tuples(WHITESPACE, values, st.booleans()).map(
        lambda parts: parts[0] + parts[1] if parts[2] else parts[1] + parts[0]
    )


def numbers(
    low: int, high: int, *, fractions: bool = False, empty_is_unset: bool = False
) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    """Valid and malformed texts of a number from ``low`` to ``high``."""
    whole = st.integers(low, high).map(str)
    valid = whole
    if fractions:
        tenths = st.integers(low * 10, high * 10).map(lambda n: f"{n / 10:.1f}")
        valid = st.one_of(whole, tenths)
    words = ["nan", "inf", "-inf", "1e3", "1_0", "0x10", "+5", "ten", "1,5"]
    if not fractions:
        words.append("2.5")
    if not empty_is_unset:
        words.append("")
    malformed = st.one_of(
        st.integers(max_value=low - 1).map(str),
        st.integers(min_value=high + 1).map(str),
        foreign(st.integers(max(low, 0), high)),
        padded(whole),
        st.sampled_from(words),
    )
    return valid, malformed


# Host names as RFC 1123 allows them, and addresses.
HOSTNAMES = domains(max_length=80)
IPV4 = st.ip_addresses(v=4).map(str)
IPV6 = st.ip_addresses(v=6).map(lambda address: f"[{address}]")
HOSTS = st.one_of(HOSTNAMES, IPV4, IPV6)
# Every URL variable is also tried with each of these, not only with a sample.
KNOWN_BAD_HOSTS = [
    "-a.example",
    "a-.example",
    "a..example",
    "a_b.example",
    "exa mple.com",
    "bücher.example",
    "a" * 64 + ".example",
    "example.com/x",
    "[192.0.2.1]",
    "[::1",
    "::1]",
    "[",
    "١٢٧.0.0.1",
]
BAD_HOSTS = st.one_of(
    st.sampled_from(KNOWN_BAD_HOSTS),
    HOSTNAMES.map(lambda host: host + "_"),
    HOSTNAMES.map(lambda host: "ü" + host),
)
PORTS = st.integers(1, 65535)
BAD_PORTS = st.one_of(
    st.integers(min_value=65536).map(str),
    st.just("x"),
    st.just("-1"),
    foreign(PORTS),
)


def optional_port(ports: st.SearchStrategy[int] = PORTS) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), ports.map(lambda port: f":{port}"))


# Credentials as a URL carries them: any text, percent-encoded.
SECRETS = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"),
    min_size=1,
    max_size=20,
).map(lambda text: quote(text, safe=""))

# Any text the environment can hold.
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"))

# Redis URLs, and the consumer every render has: redis-py, for the cache.


def redis_consumer(env: Environment, text: str) -> None:
    """redis-py parses the URL and builds (without opening) its connection."""
    url = env["REDIS_URL"]
    pool = redis.ConnectionPool.from_url(url)
    pool.make_connection()
    path = urlsplit(url).path.strip("/")
    if not url.startswith("unix:") and path:
        assert pool.connection_kwargs["db"] == int(path)


TCP_REDIS_URLS = st.tuples(
    st.sampled_from(["redis", "rediss"]),
    st.one_of(st.just(""), SECRETS.map(lambda secret: f":{secret}@")),
    HOSTS,
    optional_port(),
    st.one_of(st.just(""), st.integers(0, 15).map(lambda db: f"/{db}")),
).map(lambda p: f"{p[0]}://{p[1]}{p[2]}{p[3]}{p[4]}")
UNIX_REDIS_URLS = st.integers(0, 15).map(
    lambda db: f"unix:///run/redis/redis.sock?db={db}"
)
REDIS_URLS = st.one_of(TCP_REDIS_URLS, UNIX_REDIS_URLS)
BAD_REDIS_URLS = st.one_of(
    BAD_HOSTS.map(lambda host: f"redis://{host}:6379/0"),
    BAD_PORTS.map(lambda port: f"redis://cache.internal:{port}/0"),
    foreign(st.integers(0, 15)).map(lambda db: f"redis://cache.internal/{db}"),
    st.sampled_from(
        [
            "",
            "http://cache.internal:6379",
            "redis://",
            "unix://",
            "redis://cache.internal/zero",
            "redis://cache.internal/0/1",
            "redis://cache.internal/0?bogus=1",
            "redis://cache.internal/0?db=x",
            "cache.internal:6379",
        ]
    ),
    padded(REDIS_URLS),
)
