"""Runtime tier: Lighthouse's budgets, the generated lighthouserc.json, hold on
a fresh project's home and sign-in pages as `nox -s lighthouse` serves them
(gunicorn, the production settings, TLS, PostgreSQL and Redis), and a page
with a 2 MB image breaks the page-weight budget, which the session names."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from harness.commands import browser, run
from harness.gates import NOX
from harness.node import node_tool
from harness.pages import added_to_home_page
from harness.render import generate, install
from harness.services import RUNTIME_REDIS_URL, postgres_database

# Its own group: a worker of its own, beside the other runtime tests.
pytestmark = pytest.mark.xdist_group("lighthouse")

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The other budgets of lighthouserc.json: each audit's figure stays under.
BUDGETS = {
    "largest-contentful-paint": 2500,
    "cumulative-layout-shift": 0.1,
    "total-byte-weight": 1024 * 1024,
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(tmp_path_factory.mktemp("lighthouse"))
    install(project)
    return project


def lighthouse(project: Path, *pages: str) -> subprocess.CompletedProcess[str]:
    """`nox -s lighthouse [-- pages]` against a fresh database and this
    machine's Chromium."""
    with postgres_database() as database_url:
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": RUNTIME_REDIS_URL,
            # Lighthouse CI as .ci/package-lock.json pins it, at the version of
            # includes/versions.yml (tests/fast/test_pins.py).
            "LHCI": node_tool(".bin/lhci"),
            "E2E_BROWSER": browser(),
        }
        command = [*NOX, "-s", "lighthouse", *(["--", *pages] if pages else [])]
        return run(command, cwd=project, env=env, check=False, timeout=900)


def reports(project: Path) -> dict[str, list[dict[str, Any]]]:
    """Each graded page's runs, by its path: the category scores Lighthouse
    CI's manifest lists for the run, and the audits of its report."""
    folder = project / "test-results/lighthouse"
    graded: dict[str, list[dict[str, Any]]] = {}
    for entry in json.loads((folder / "manifest.json").read_text()):
        path = "/" + entry["url"].split("/", 3)[3]
        audits = json.loads(Path(entry["jsonPath"]).read_text())["audits"]
        graded.setdefault(path, []).append({**entry["summary"], "audits": audits})
    return graded


def test_the_budgets_hold_on_the_home_and_sign_in_pages(project: Path) -> None:
    """Lighthouse CI checks each budget on the better of two runs (its
    "optimistic" aggregation); the reports agree, and their figures are shown."""
    result = lighthouse(project)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    graded = reports(project)
    assert set(graded) == {"/", "/accounts/login/"}, graded.keys()
    for page, runs in graded.items():
        assert len(runs) == 2, page
        scores = {name: max(run[name] for run in runs) for name in CATEGORIES}
        figures = {
            name: min(run["audits"][name]["numericValue"] for run in runs)
            for name in BUDGETS
        }
        print(page, scores, figures)  # pytest -s shows them
        assert all(score >= 0.9 for score in scores.values()), (page, scores)
        assert all(figures[name] < limit for name, limit in BUDGETS.items()), figures


def noise_png(width: int, height: int) -> bytes:
    """A valid PNG of random pixels: it does not compress, so it weighs about
    width x height x 3 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + os.urandom(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 0))
        + chunk(b"IEND", b"")
    )


def test_a_two_megabyte_image_breaks_the_page_weight_budget(project: Path) -> None:
    image = project / "static/img/heavy.png"
    image.parent.mkdir(exist_ok=True)
    image.write_bytes(noise_png(1000, 700))
    assert image.stat().st_size > 2_000_000
    markup = (
        "{% load static %}"
        '<img src="{% static \'img/heavy.png\' %}" alt="" width="1000" height="700">'
    )
    try:
        with added_to_home_page(project, markup):
            result = lighthouse(project, "/")
    finally:
        image.unlink()
    # Lighthouse CI colours its words; the assertion it names, without colour:
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    assert result.returncode != 0, output[-20000:]
    failure = "total-byte-weight failure for maxNumericValue assertion"
    assert failure in output, output[-20000:]
