"""Time a cold `nox` and a warm `nox` on a generated project.

    uv run --only-group test python benchmarks/gates.py [--runs 3] [--smoke]

Prints the median and the spread of each. "Cold" is a fresh project with no
.nox directory (uv's download cache is warm, as on any developer machine after
the first install); "warm" is the same project's second and later runs.
pip-audit asks a local stand-in for its vulnerability service, so the audit
gate passes here and the figures time the gates, not the network. `--smoke`
runs once and times only the `lint` gate: it proves that the script still
runs, in seconds. `copier copy` itself is timed by benchmarks/generation.py.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from generation import copy_command, report, timed

ROOT = Path(__file__).resolve().parent.parent
# The tests' harness: the clean environment and the vulnerability stand-in.
sys.path.insert(0, str(ROOT / "tests"))
from harness.commands import CLEAN_ENV  # noqa: E402
from harness.vulnerability import vulnerability_service  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="one run of `lint`")
    options = parser.parse_args()
    runs = 1 if options.smoke else options.runs
    gates = ["nox", "-s", "lint"] if options.smoke else ["nox"]
    label = " ".join(gates)
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp, vulnerability_service() as service:
        env = {**CLEAN_ENV, **service.env}
        for run in range(runs):
            project = Path(tmp) / f"project{run}"
            print(f"run {run + 1}/{runs}: copier copy", file=sys.stderr)
            timed(copy_command(ROOT, project), cwd=Path(tmp), env=env)
            subprocess.run(["git", "init", "-q"], cwd=project, check=True)
            subprocess.run(
                ["uv", "sync", "--locked", "-q"], cwd=project, env=env, check=True
            )
            for samples, state in ((cold, "cold"), (warm, "warm")):
                print(f"run {run + 1}/{runs}: {state} {label}", file=sys.stderr)
                samples.append(timed(["uv", "run", "--frozen", *gates], project, env))
    report(f"{label}, cold", cold)
    report(f"{label}, warm", warm)
    ratio = statistics.median(warm) / statistics.median(cold)
    print(f"{'warm / cold':<18} {ratio:.2f}")


if __name__ == "__main__":
    main()
