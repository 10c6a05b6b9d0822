"""Fast tier: every release tag has its changelog entry, newest first."""

from __future__ import annotations

import re

from packaging.version import Version

from harness.commands import ROOT, run

HEADING = re.compile(r"^## (.*)$", re.MULTILINE)
RELEASE = re.compile(r"^v(\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$")


def changelog_releases() -> list[Version]:
    headings = HEADING.findall((ROOT / "CHANGELOG.md").read_text())
    assert headings[0] == "Unreleased", headings
    releases = []
    for heading in headings[1:]:
        match = RELEASE.match(heading)
        assert match, f"not a release heading: {heading!r}"
        releases.append(Version(match[1]))
    return releases


def test_the_changelog_lists_releases_newest_first() -> None:
    releases = changelog_releases()
    assert releases, "no release yet"
    assert releases == sorted(releases, reverse=True)
    assert len(set(releases)) == len(releases)


def test_every_release_tag_has_its_changelog_entry() -> None:
    tags = run(["git", "tag", "--list", "v*"], cwd=ROOT).stdout.split()
    listed = set(changelog_releases())
    assert {Version(tag) for tag in tags} <= listed, tags
