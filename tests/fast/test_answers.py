"""Fast tier: bad answers are refused with nothing written; the lists behind the
validators are complete."""

from __future__ import annotations

import sys
import zoneinfo
from pathlib import Path

import pytest

from harness.options import hidden_names
from harness.render import copier_copy


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_slug": "My-Project"}, "must start with a lowercase letter"),
        ({"project_slug": "9lives"}, "must start with a lowercase letter"),
        ({"project_slug": "json"}, "would shadow the Python module"),
        ({"project_slug": "django"}, "would shadow the Python module"),
        ({"project_slug": "config"}, "would shadow the Python module"),
        ({"project_slug": "s" * 31}, "at most 30 characters"),
        ({"author_email": "not-an-email"}, "is not a valid email address"),
        ({"author_email": "a@b"}, "is not a valid email address"),
        ({"domain_name": "http://example.com"}, "is not a valid lowercase hostname"),
        ({"domain_name": "exa_mple.com"}, "is not a valid lowercase hostname"),
        ({"domain_name": "d" * 50 + ".example.com"}, "at most 60 characters"),
        ({"time_zone": "Mars/Olympus_Mons"}, "is not an IANA time zone name"),
        ({"time_zone": "utc"}, "is not an IANA time zone name"),
        # Copier's own message, not the answer echoed back.
        ({"python_version": "3.11"}, "Invalid choice for 'python_version'"),
        ({"api": "graphql"}, "Invalid choice for 'api'"),
        ({"project_name": "  "}, "must not be empty"),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_written(
    tmp_path: Path, answers: dict[str, str], message: str
) -> None:
    destination = tmp_path / "project"
    result = copier_copy(destination, answers, check=False)
    assert result.returncode != 0
    assert message in result.stderr + result.stdout
    assert not destination.exists()


def test_every_listed_time_zone_loads() -> None:
    zones = hidden_names("time_zones", "available_time_zones")
    assert len(zones) > 400
    for name in zones:
        zoneinfo.ZoneInfo(name)


def test_reserved_names_cover_the_standard_library() -> None:
    reserved = set(hidden_names("reserved", "reserved_names"))
    public = {n for n in sys.stdlib_module_names if n.islower() and n[0] != "_"}
    assert public <= reserved
    assert {"config", "tests", "django"} <= reserved
