"""The load test's budgets, the one place that says what `make loadtest`
fails on: response-time percentiles and the error rate, for every endpoint
and for all of them together.

The figures are the production-readiness targets: half of the requests
answered within 200 ms, 95 in 100 within 500 ms, 99 in 100 within a second,
and fewer than one in a thousand failing. A request fails when it gets any
other status than the one expected, or no answer within ``REQUEST_TIMEOUT``
seconds: a stuck request is an error, not a slow success.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

# Seconds: twice the p99 budget, so every slow request that is still answered
# counts in the percentiles first.
REQUEST_TIMEOUT = 2.0
# Response times in milliseconds, by percentile.
PERCENTILES = {"p50": (0.50, 200), "p95": (0.95, 500), "p99": (0.99, 1000)}
# The largest share of failed requests that breaks the budget (0.1%).
ERROR_RATE = 0.001


class Measured(Protocol):
    """What the budgets read from one line of Locust's statistics: one
    endpoint, or the aggregate of them all."""

    name: str
    method: str
    num_requests: int

    @property
    def fail_ratio(self) -> float: ...

    def get_response_time_percentile(self, percent: float) -> int: ...


@dataclass(frozen=True)
class Breach:
    """One broken budget: which, where, and the figure against the budget."""

    budget: str
    where: str
    figures: str

    def __str__(self) -> str:
        broken = f"{self.budget} for {self.where}"
        return f"Load test budget broken: {broken}, {self.figures}."


def label(entry: Measured) -> str:
    """``GET /`` for an endpoint, ``all requests`` for the aggregate line."""
    return f"{entry.method} {entry.name}" if entry.method else "all requests"


def breaches(entry: Measured) -> list[Breach]:
    """The budgets that one line of statistics breaks."""
    where = label(entry)
    if not entry.num_requests:
        return [Breach("requests", where, "none made (budget: at least one)")]
    found = [
        Breach(budget, where, f"{measured} ms (budget: under {limit} ms)")
        for budget, (percent, limit) in PERCENTILES.items()
        if (measured := entry.get_response_time_percentile(percent)) >= limit
    ]
    if entry.fail_ratio >= ERROR_RATE:
        figures = f"{entry.fail_ratio:.2%} (budget: under {ERROR_RATE:.1%})"
        found.append(Breach("error rate", where, figures))
    return found


def broken(total: Measured, endpoints: Iterable[Measured]) -> list[Breach]:
    """Every budget broken, for all requests together and for each endpoint."""
    return [found for entry in (total, *endpoints) for found in breaches(entry)]


def summary(total: Measured, requests_per_second: float) -> str:
    """One line of the figures that the budgets judge, for all requests."""
    percentiles = ", ".join(
        f"{budget} {total.get_response_time_percentile(percent)} ms"
        for budget, (percent, _) in PERCENTILES.items()
    )
    return (
        f"Load test: {total.num_requests} requests, {requests_per_second:.1f}/s, "
        f"{percentiles}, errors {total.fail_ratio:.2%}."
    )
