"""The row type of config/env.py's table, and the checks its rows share.

A :class:`Variable` says everything the project knows about one environment
variable: how environs parses it, whether production requires it, its default,
what it means, and a valid production sample for checks and tests. The table
in config/env.py is built from it, including the rows that an option brings
in a module of its own, such as config/mail.py.
"""

import ipaddress
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import SplitResult, urlsplit

from django.core.exceptions import ImproperlyConfigured
from environs import Env, ValidationError

Check = Callable[[Any], None]
Reader = Literal["settings", "gunicorn", "scripts"]

# The parsed environment: each variable's value, under the variable's name.
Environment = Mapping[str, Any]

# Printable ASCII, without spaces: what a URL's text must be.
PRINTABLE = re.compile(r"[!-~]+")

# What the text of a value must look like before environs parses it, by parser.
# Python's int() and float() also read '١٢' (digits of other scripts), ' 12 ',
# '1_2', 'nan' and 'inf', which gunicorn, libpq and PostgreSQL do not; a URL
# with spaces or non-ASCII text is read differently by each of its consumers.
TEXT: dict[str, tuple[re.Pattern[str], str]] = {
    "int": (re.compile(r"-?[0-9]+"), "Must be a whole number in ASCII digits."),
    "float": (
        re.compile(r"-?[0-9]+(?:\.[0-9]+)?"),
        "Must be a number in ASCII digits, such as 2 or 2.5.",
    ),
    "log_level": (
        re.compile(r"(?i:DEBUG|INFO|WARNING|ERROR|CRITICAL)"),
        "Must be DEBUG, INFO, WARNING, ERROR or CRITICAL.",
    ),
    "dj_db_url": (
        PRINTABLE,
        "Must be a URL in printable ASCII without spaces (percent-encode the rest).",
    ),
    "dj_email_url": (
        PRINTABLE,
        "Must be a URL in printable ASCII without spaces (percent-encode the rest).",
    ),
}

# A host name as RFC 1123 allows it: dot-separated labels of ASCII letters,
# digits and inner hyphens, at most 63 characters each and 253 in all.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOSTNAME = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}")


@dataclass(frozen=True, kw_only=True)
class Variable:
    """One environment variable: one row of the table."""

    name: str
    # The environs method that parses it: str, int, float, bool, list,
    # log_level, dj_db_url or dj_email_url.
    parser: str
    # One line for .env.example and the environment docs page.
    meaning: str
    # The value when unset; outside production, also when a variable that
    # production requires is unset or empty.
    default: Any = None
    # The default as .env.example and the docs state it.
    shown_default: str = "none"
    # The value .env.example suggests.
    example: str = ""
    required_in_production: bool = False
    # Validation wherever the variable is read, and in production only.
    validate: Check | None = None
    in_production: Check | None = None
    # A valid production value, for the checks and the tests.
    sample: str = ""
    read_by: tuple[Reader, ...] = ("settings",)

    def read(self, env: Env, *, production: bool) -> Any:
        """Parse the variable with ``env``, which collects the parse errors."""
        parse = getattr(env, self.parser)
        if self.required_in_production and production:
            return parse(self.name)
        value = parse(self.name, self.default)
        if self.required_in_production:
            # Empty values, as in a copied .env.example, fall back to the default.
            return value or self.default
        return value

    def text_problems(self, text: str | None) -> list[str]:
        """What is wrong with the text of a set value, before it is parsed."""
        pattern, message = TEXT.get(self.parser, (None, ""))
        if pattern is None or not text or pattern.fullmatch(text):
            return []
        return [message]

    def problems(self, value: Any, *, production: bool) -> list[str]:
        """What is wrong with a parsed ``value``; never the value itself."""
        checks = [self.validate, self.in_production if production else None]
        optional = self.required_in_production and not production
        messages: list[str] = []
        for check in checks:
            if check is None or (optional and not value):
                continue
            try:
                check(value)
            except ValidationError as error:
                messages.extend(str(message) for message in error.messages)
        return messages


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


@contextmanager
def exit_on_invalid_environment() -> Iterator[None]:
    """For entry points (manage.py, wsgi, asgi, gunicorn, workers): an invalid
    environment ends the process with its one message and status 1, with no
    traceback for a supervisor to log again on every restart."""
    try:
        yield
    except InvalidEnvironment as exc:
        sys.exit(f"Configuration error: {exc}")


def is_host(value: str) -> bool:
    """A host name valid per RFC 1123, an IP address, or an IPv6 one in brackets."""
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
        if ":" not in value:
            return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return len(value) <= 253 and HOSTNAME.fullmatch(value) is not None
    return True


def split_url(value: str) -> SplitResult:
    """urlsplit(), but a ValidationError where it raises ValueError (on an
    unclosed IPv6 bracket or an IPv4 address in brackets, echoing the value)."""
    try:
        return urlsplit(value)
    except ValueError:
        raise ValidationError("Must be a URL.") from None


def url_host_and_port(value: str) -> bool:
    """The URL is printable ASCII and names a valid host and, if any, port 1-65535."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return False
    return (
        PRINTABLE.fullmatch(value) is not None
        and port != 0
        and is_host(parts.hostname or "")
    )


def between(low: float, high: float) -> Check:
    """A check that a number is from ``low`` to ``high``, both included."""

    def check(value: float) -> None:
        if not low <= value <= high:
            raise ValidationError(f"Must be from {low} to {high}.")

    return check


def https_url(value: str) -> None:
    parts = split_url(value)
    if value and (parts.scheme != "https" or not url_host_and_port(value)):
        raise ValidationError("Must be an https:// URL with a valid host, or empty.")


def present(value: str) -> None:
    if not value:
        raise ValidationError("Must be set.")
