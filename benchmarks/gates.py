"""Time `copier copy`, a cold `nox` and a warm `nox` on a generated project.

    uv run --only-group test python benchmarks/gates.py [--runs 3]

Prints the median and the spread of each. "Cold" is a fresh project with no
.nox directory (uv's download cache is warm, as on any developer machine after
the first install); "warm" is the same project's second and later runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Variables a surrounding nox session sets; the project needs its own .venv.
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "VIRTUAL_ENV")
}


def timed(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=CLEAN_ENV, check=True, capture_output=True)
    return time.perf_counter() - started


def report(label: str, samples: list[float]) -> None:
    print(
        f"{label:<18} median {statistics.median(samples):6.1f} s   "
        f"min {min(samples):6.1f} s   max {max(samples):6.1f} s   (n={len(samples)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    copy, cold, warm = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            project = Path(tmp) / f"project{run}"
            print(f"run {run + 1}/{runs}: copier copy", file=sys.stderr)
            copy.append(
                timed(
                    [sys.executable, "-m", "copier", "copy", "--quiet", "--defaults",
                     "--vcs-ref", "HEAD", str(ROOT), str(project)],
                    cwd=Path(tmp),
                )  # fmt: skip
            )
            subprocess.run(["git", "init", "-q"], cwd=project, check=True)
            subprocess.run(["uv", "sync", "--locked", "-q"], cwd=project, check=True)
            print(f"run {run + 1}/{runs}: cold nox", file=sys.stderr)
            cold.append(timed(["uv", "run", "--frozen", "nox"], cwd=project))
            print(f"run {run + 1}/{runs}: warm nox", file=sys.stderr)
            warm.append(timed(["uv", "run", "--frozen", "nox"], cwd=project))
    report("copier copy", copy)
    report("nox, cold", cold)
    report("nox, warm", warm)
    ratio = statistics.median(warm) / statistics.median(cold)
    print(f"{'warm / cold':<18} {ratio:.2f}")


if __name__ == "__main__":
    main()
