"""What worker recycling costs under sustained load, as gunicorn.conf.py ships it.

    uv run --only-group test python benchmarks/recycling.py [--rounds 2] [--smoke]

Needs wrk, PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. Three
servers of the same generated project, in alternating rounds, under a few
hundred keep-alive connections on /health/live/:

- "shipped": gunicorn.conf.py as it is (the code imported once in the master,
  each worker recycled after 10,000 to 15,000 requests);
- "recycling off": the same with `--max-requests 0`, the baseline;
- "before": the configuration shipped until 2026-12 (each new worker imports
  Django again, after 1,000 requests with a jitter of 100), for contrast.

wrk times a request out after 2 seconds and counts it as an error rather than
a slow success. The target: "shipped" within 10% of "recycling off" in
throughput, with no request over 1 second. `--smoke` runs each server once for
a second: it proves the script still works, and its figures mean nothing.
"""

from __future__ import annotations

import re
import statistics
import sys

from throughput import ROOT, gunicorn, installed_project, load_options, sh

CONNECTIONS = 300
WORKERS = "4"
# The configuration this template shipped before: no preload, a restart
# after 1,000 requests with a jitter of 100.
BEFORE = """exec(open("gunicorn.conf.py").read())
preload_app = False
max_requests = 1000
max_requests_jitter = 100
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def load(url: str, seconds: int) -> dict[str, float]:
    """Throughput, p99 and slowest request (ms), and errors, from one wrk run."""
    output = sh(
        ["wrk", "--threads", "2", "--connections", str(CONNECTIONS),
         "--duration", f"{seconds}s", "--timeout", "2s", "--latency", url],
        cwd=ROOT,
    )  # fmt: skip

    def milliseconds(pattern: str) -> float:
        match = re.search(pattern + r"([\d.]+)(us|ms|s)\b", output)
        if match is None:
            sys.exit(f"unexpected wrk output:\n{output}")
        return float(match[1]) * UNITS[match[2]]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rps is None:
        sys.exit(f"unexpected wrk output:\n{output}")
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(rps[1]),
        "p99": milliseconds(r"\s99%\s+"),
        "max": milliseconds(r"Latency\s+\S+\s+\S+\s+"),
        "timeouts": float(errors[4]) if errors else 0.0,
        "errors": float(sum(map(int, errors.groups()[:3])) if errors else 0)
        + float(non_2xx[1] if non_2xx else 0),
    }


def main() -> None:
    options = load_options(__doc__, rounds=2, seconds=20)

    with installed_project() as (project, env):
        (project / "before.conf.py").write_text(BEFORE)
        shipped = ["--config", "gunicorn.conf.py"]
        variants = {
            "shipped": shipped,
            "recycling off": [*shipped, "--max-requests", "0"],
            "before": ["--config", "before.conf.py"],
        }
        results: dict[str, list[dict[str, float]]] = {k: [] for k in variants}
        for round_ in range(options.rounds):
            for name, args in variants.items():
                print(f"round {round_ + 1}: {name}", file=sys.stderr)
                with gunicorn(project, args, env, workers=WORKERS) as base:
                    results[name].append(load(f"{base}/health/live/", options.seconds))

    print(
        f"gunicorn, {WORKERS} workers of 4 threads; wrk, {CONNECTIONS} connections, "
        f"{options.seconds} s, 2 s timeout; medians of {options.rounds} rounds"
    )
    print(f"{'variant':<26}{'req/s':>9}{'p99 ms':>9}{'max ms':>9}"
          f"{'timeouts':>10}{'errors':>8}")  # fmt: skip
    medians = {
        name: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        for name, runs in results.items()
    }
    for name, m in medians.items():
        print(f"{name:<26}{m['rps']:>9.0f}{m['p99']:>9.1f}{m['max']:>9.1f}"
              f"{m['timeouts']:>10.0f}{m['errors']:>8.0f}")  # fmt: skip
    for label, variant in [("shipped", "shipped"), ("before", "before")]:
        ratio = medians[variant]["rps"] / medians["recycling off"]["rps"]
        print(f"{label} / recycling off{ratio:>10.2f}x throughput")


if __name__ == "__main__":
    main()
