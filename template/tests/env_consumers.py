"""The valid and malformed texts of each variable in config/env.py's table,
and the consumer that must accept what the table accepts: the cases of
tests/test_env_properties.py."""

import hmac
import ipaddress
import logging
import string
from email.headerregistry import Address
from urllib.parse import urljoin, urlsplit

import psycopg
import psycopg_pool
from django.core.checks.compatibility.django_4_0 import check_csrf_trusted_origins
from django.http.request import host_validation_re, split_domain_port, validate_host
from django.test import override_settings
from gunicorn.config import validate_pos_int
from hypothesis import strategies as st

from config.database import bounded_connection
from config.env import (
    INSECURE_KEY,
    POSTGRES_INT_MAX,
    POSTGRES_MAX_CONNECTIONS,
    SESSION_MAX,
)
from config.services import database
from config.variables import Environment
from tests.env_strategies import (
    BAD_HOSTS,
    BAD_PORTS,
    HOSTNAMES,
    HOSTS,
    IPV4,
    SECRETS,
    Consumer,
    foreign,
    numbers,
    optional_port,
    padded,
)

WORKERS = "WEB_CONCURRENCY"


KEY_CHARACTERS = st.characters(codec="utf-8", exclude_characters="\x00,")
KEYS = st.text(KEY_CHARACTERS, min_size=50, max_size=80).filter(
    lambda key: len(set(key)) >= 5 and not key.startswith("django-insecure-")
)
WEAK_KEYS = st.one_of(
    st.text(KEY_CHARACTERS, max_size=49),
    st.text(st.sampled_from("abcd"), min_size=50, max_size=80),
    st.text(KEY_CHARACTERS, min_size=50).map(lambda key: INSECURE_KEY + key),
)

# Host lists -------------------------------------------------------------------


def allowed_host_consumer(env: Environment, text: str) -> None:
    """Django serves a request for each listed host (a subdomain for .example)."""
    allowed = env["DJANGO_ALLOWED_HOSTS"]
    for entry in allowed:
        host = "www" + entry if entry.startswith(".") else entry
        host = "example.com" if host == "*" else host
        assert host_validation_re.match(host.lower()), entry
        domain, _ = split_domain_port(host.lower())
        assert validate_host(domain, allowed), entry


def hosts_lists(
    entries: st.SearchStrategy[str], bad: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """A list with one bad entry among good ones."""
    return st.tuples(
        st.lists(entries, max_size=2), bad, st.lists(entries, max_size=2)
    ).map(lambda parts: ",".join([*parts[0], parts[1], *parts[2]]))


ALLOWED_ENTRIES = st.one_of(HOSTS, HOSTNAMES.map(lambda host: "." + host), st.just("*"))


def origins_consumer(env: Environment, text: str) -> None:
    """Django's check passes and its CSRF middleware reads each origin's host."""
    origins = env["DJANGO_CSRF_TRUSTED_ORIGINS"]
    with override_settings(CSRF_TRUSTED_ORIGINS=origins):
        assert check_csrf_trusted_origins(None) == []
    for origin in origins:
        parts = urlsplit(origin)
        assert parts.port != 0
        assert host_validation_re.match(
            parts.netloc.lower().lstrip("*").lstrip(".")
        ), origin


ORIGINS = st.tuples(
    st.one_of(HOSTS, HOSTNAMES.map(lambda host: "*." + host)), optional_port()
).map(lambda parts: f"https://{parts[0]}{parts[1]}")
BAD_ORIGINS = st.one_of(
    BAD_HOSTS.map(lambda host: f"https://{host}"),
    BAD_PORTS.map(lambda port: f"https://example.com:{port}"),
    HOSTNAMES.map(lambda host: f"http://{host}"),
    HOSTNAMES.map(lambda host: f"https://{host}/path"),
    st.just("https://"),
)


def proxies_consumer(env: Environment, text: str) -> None:
    for entry in env["DJANGO_TRUSTED_PROXIES"]:
        ipaddress.ip_network(entry, strict=False)


NETWORKS = st.one_of(
    st.ip_addresses().map(str),
    st.tuples(st.ip_addresses(v=4), st.integers(0, 32)).map(lambda p: f"{p[0]}/{p[1]}"),
    st.tuples(st.ip_addresses(v=6), st.integers(0, 128)).map(
        lambda p: f"{p[0]}/{p[1]}"
    ),
)
BAD_NETWORKS = st.one_of(
    HOSTNAMES,
    IPV4.map(lambda address: address + "/33"),
    foreign(st.integers(1, 255)).map(lambda octet: f"10.0.0.{octet}"),
    padded(IPV4),
)

# The metrics token ------------------------------------------------------------

TOKEN_CHARACTERS = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
TOKENS = st.one_of(st.just(""), st.text(TOKEN_CHARACTERS, min_size=32, max_size=80))
BAD_TOKENS = st.one_of(
    st.text(TOKEN_CHARACTERS, min_size=1, max_size=31),
    st.tuples(
        st.text(TOKEN_CHARACTERS, min_size=16, max_size=40),
        st.sampled_from([" ", "\t", "\u00e9"]),
        st.text(TOKEN_CHARACTERS, min_size=16, max_size=40),
    ).map("".join),
)


def token_consumer(env: Environment, text: str) -> None:
    """The bearer check compares the token's bytes with what a client sent."""
    token = env["DJANGO_METRICS_TOKEN"]
    assert token == text
    assert hmac.compare_digest(token.encode("ascii"), text.encode("ascii"))


# URLs -------------------------------------------------------------------------

DATABASE_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
LIBPQ_OPTIONS = st.sampled_from(
    [
        "",
        "?sslmode=require",
        "?sslmode=verify-full&application_name=web",
        "?target_session_attrs=read-write",
    ]
)


def database_consumer(env: Environment, text: str) -> None:
    """libpq parses the connection string and psycopg's pool takes its sizes."""
    config = database(env, pooled=True)
    options = dict(config["OPTIONS"])
    pool = options.pop("pool")
    params = {
        "host": config["HOST"],
        "port": config["PORT"],
        "dbname": config["NAME"],
        "user": config["USER"],
        "password": config["PASSWORD"],
        **options,
    }
    conninfo = psycopg.conninfo.make_conninfo(
        "", **{key: value for key, value in params.items() if value not in ("", None)}
    )
    psycopg.conninfo.conninfo_to_dict(conninfo)
    psycopg_pool.ConnectionPool(conninfo, open=False, **pool)


DATABASE_URLS = st.tuples(
    st.sampled_from(["postgres", "postgresql"]),
    st.one_of(
        st.just(""), st.tuples(SECRETS, SECRETS).map(lambda c: f"{c[0]}:{c[1]}@")
    ),
    HOSTS,
    optional_port(),
    DATABASE_NAMES,
    LIBPQ_OPTIONS,
).map(lambda p: f"{p[0]}://{p[1]}{p[2]}{p[3]}/{p[4]}{p[5]}")
BAD_DATABASE_URLS = st.one_of(
    BAD_HOSTS.map(lambda host: f"postgres://app:pw@{host}/app"),
    BAD_PORTS.map(lambda port: f"postgres://app:pw@db.internal:{port}/app"),
    st.sampled_from(
        [
            "",
            "mysql://app:pw@db.internal/app",
            "postgres://db.internal/app?bogus=1",
            "postgres://db.internal/app?sslmode=require&no_such_option=1",
            "postgres://app:pw@[::1/app",
        ]
    ),
    padded(DATABASE_URLS),
)


def admin_url_consumer(env: Environment, text: str) -> None:
    """A browser asks for the admin at exactly the path the URLconf routes."""
    path = env["DJANGO_ADMIN_URL"]
    assert urljoin("https://example.com/", path) == "https://example.com/" + path


SEGMENTS = st.text(
    st.sampled_from(string.ascii_letters + string.digits + "._~-"),
    min_size=1,
    max_size=12,
).filter(lambda segment: segment not in (".", ".."))
ADMIN_URLS = st.lists(SEGMENTS, min_size=1, max_size=3).map(lambda s: "/".join(s) + "/")
BAD_ADMIN_URLS = st.one_of(
    st.sampled_from(
        [
            "",
            "../",
            "./",
            "admin/../",
            "admin/./x/",
            "/admin/",
            "admin",
            "admin//",
            "ad min/",
            "admın/",
        ]
    ),
    ADMIN_URLS.map(lambda path: "../" + path),
    ADMIN_URLS.map(lambda path: path + "./"),
    padded(ADMIN_URLS),
)


def log_level_consumer(env: Environment, text: str) -> None:
    assert logging.getLevelName(env["DJANGO_LOG_LEVEL"]) == text.upper()


LEVELS = st.sampled_from(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
CASED_LEVELS = st.tuples(LEVELS, st.booleans()).map(
    lambda p: p[0].lower() if p[1] else p[0]
)


def address_consumer(env: Environment, text: str) -> None:
    """Python's email package, which Django's mail uses, parses the address."""
    Address(addr_spec=env["DJANGO_DEFAULT_FROM_EMAIL"])


LOCAL_PARTS = st.from_regex(
    r"[a-z0-9]{1,10}(?:[._+-][a-z0-9]{1,10}){0,2}", fullmatch=True
)
ADDRESSES = st.tuples(LOCAL_PARTS, HOSTNAMES.filter(lambda host: "." in host)).map(
    lambda p: f"{p[0]}@{p[1]}"
)
BAD_ADDRESSES = st.one_of(
    st.sampled_from(
        [
            "",
            "noreply",
            "noreply@",
            "@example.com",
            "no reply@example.com",
            "a@b",
            "a@-b.example",
            "a@b..example",
        ]
    ),
    padded(ADDRESSES),
)


# Numbers ----------------------------------------------------------------------


def pool_consumer(env: Environment, text: str) -> None:
    """psycopg's pool takes the sizes and the timeout."""
    psycopg_pool.ConnectionPool(
        "",
        min_size=env["DATABASE_POOL_MIN_SIZE"],
        max_size=env["DATABASE_POOL_MAX_SIZE"],
        timeout=env["DATABASE_POOL_TIMEOUT"],
        open=False,
    )


def connect_timeout_consumer(env: Environment, text: str) -> None:
    """libpq's connect_timeout is a C int; psycopg reads it the same way."""
    timeout = env["DATABASE_CONNECT_TIMEOUT"]
    assert timeout <= POSTGRES_INT_MAX
    # libpq waits at least 2 seconds.
    read = psycopg.conninfo.timeout_from_conninfo({"connect_timeout": text})
    assert read == max(timeout, 2)


def statement_timeout_consumer(env: Environment, text: str) -> None:
    """PostgreSQL's statement_timeout is an int setting; the bound follows it."""
    timeout = env["DATABASE_STATEMENT_TIMEOUT_MS"]
    assert timeout <= POSTGRES_INT_MAX
    assert bounded_connection(timeout).answer_timeout == timeout / 1000 + 1


def workers_consumer(env: Environment, text: str) -> None:
    """gunicorn reads WEB_CONCURRENCY itself, to the same number."""
    assert validate_pos_int(text) == env[WORKERS]


def boolean(name: str) -> Consumer:
    """The setting is the truth the text names."""

    def consumer(env: Environment, text: str) -> None:
        assert env[name] is (text.lower() in ("true", "1", "yes", "on"))

    return consumer


BOOLEANS = st.sampled_from(
    ["true", "false", "True", "False", "1", "0", "yes", "no", "on", "off"]
)
BAD_BOOLEANS = st.one_of(
    st.sampled_from(["", "maybe", "2", "tru"]), padded(st.just("true"))
)


def seconds(name: str) -> Consumer:
    """The session middleware compares the number with seconds elapsed."""

    def consumer(env: Environment, text: str) -> None:
        assert env[name] == int(text) and 60 <= env[name] <= SESSION_MAX

    return consumer


def contact_consumer(env: Environment, text: str) -> None:
    """security.txt's Contact is a URI: an address to write to or a page."""
    contact = env["DJANGO_SECURITY_CONTACT"]
    scheme, _, rest = contact.partition(":")
    if scheme == "mailto":
        Address(addr_spec=rest)
    else:
        assert scheme == "https" and urlsplit(contact).hostname


CONTACTS = st.one_of(
    ADDRESSES.map(lambda address: f"mailto:{address}"),
    HOSTNAMES.map(lambda host: f"https://{host}/security/"),
)
BAD_CONTACTS = st.one_of(
    st.sampled_from(
        [
            "",
            "security@example.com",
            "mailto:",
            "mailto:security",
            "https://",
            "http://example.com/security/",
            "ftp://example.com/",
            "https:///x",
        ]
    ),
    BAD_ADDRESSES.filter(bool).map(lambda address: f"mailto:{address}"),
)


POOL_MIN = numbers(1, POSTGRES_MAX_CONNECTIONS)
POOL_MAX = numbers(1, POSTGRES_MAX_CONNECTIONS)
POOL_TIMEOUT = numbers(1, 3600, fractions=True)
CONNECT_TIMEOUT = numbers(1, POSTGRES_INT_MAX)
STATEMENT_TIMEOUT = numbers(1, POSTGRES_INT_MAX)
WEB_CONCURRENCY = numbers(1, 100, empty_is_unset=True)
SESSION_SECONDS = numbers(60, SESSION_MAX)
