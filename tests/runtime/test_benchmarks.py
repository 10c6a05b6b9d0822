"""Runtime tier: each benchmark script still runs, in its smoke mode.

The benchmarks are not timed tests; these only prove that a script starts the
generated project and prints every figure, so that a benchmark cannot rot.
"""

from __future__ import annotations

import re
import sys

from harness.commands import ROOT, require, run

FIGURE = r"\s+[\d.]+"


def smoke(script: str) -> str:
    """The output of `benchmarks/<script> --smoke`, which must exit 0."""
    return run([sys.executable, ROOT / "benchmarks" / script, "--smoke"], ROOT).stdout


def test_the_throughput_benchmark_runs() -> None:
    require("wrk")
    output = smoke("throughput.py")
    for variant in ("live, hardened", "live, bare", "live, recycling",
                    "page, hardened", "page, bare", "ready, pool",
                    "ready, no pool"):  # fmt: skip
        assert re.search(rf"^{variant}{FIGURE}{FIGURE}$", output, re.M), output
    for ratio in ("live: hardened / bare", "live: recycling / hardened",
                  "sign-in page: hardened / bare",
                  "ready: pool / no pool"):  # fmt: skip
        assert re.search(rf"^{ratio}{FIGURE}x throughput$", output, re.M), output


def assert_timed(output: str, *steps: str) -> None:
    for step in steps:
        assert re.search(
            rf"^{step}\s+median{FIGURE} s\s+min{FIGURE} s\s+max{FIGURE} s", output, re.M
        ), output


def test_the_gates_benchmark_runs() -> None:
    output = smoke("gates.py")
    assert_timed(output, "nox -s lint, cold", "nox -s lint, warm")
    assert re.search(rf"^warm / cold{FIGURE}$", output, re.M), output


def test_the_generation_benchmark_runs() -> None:
    output = smoke("generation.py")
    assert_timed(output, "copy, floor", "copy, django-keel", "update, unchanged")
    for ratio in ("copy / floor", "update / copy"):
        assert re.search(rf"^{ratio}{FIGURE}$", output, re.M), output


def test_the_recycling_benchmark_runs() -> None:
    require("wrk")
    output = smoke("recycling.py")
    for variant in ("shipped", "recycling off", "before"):
        assert re.search(rf"^{variant}{FIGURE * 5}$", output, re.M), output
    for label in ("shipped", "before"):
        assert re.search(
            rf"^{label} / recycling off{FIGURE}x throughput$", output, re.M
        ), output
