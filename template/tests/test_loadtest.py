"""The load test's budgets (loadtest/budgets.py) judge Locust's statistics:
each broken budget is named, with where and by how much."""

from dataclasses import dataclass, field

import pytest

from loadtest.budgets import ERROR_RATE, PERCENTILES, broken, summary


@dataclass
class Entry:
    """One line of Locust's statistics, with fixed percentiles (ms)."""

    name: str = "Aggregated"
    method: str = ""
    num_requests: int = 1000
    fail_ratio: float = 0.0
    times: dict[float, int] = field(
        default_factory=lambda: {0.50: 40, 0.95: 120, 0.99: 300}
    )

    def get_response_time_percentile(self, percent: float) -> int:
        return self.times[percent]


def test_figures_within_every_budget_break_none() -> None:
    assert broken(Entry(), [Entry("/", "GET")]) == []


@pytest.mark.parametrize("budget", list(PERCENTILES))
def test_a_percentile_at_its_budget_is_broken(budget: str) -> None:
    percent, limit = PERCENTILES[budget]
    slow = Entry("/", "GET", times={**Entry().times, percent: limit})
    (breach,) = broken(Entry(), [slow])
    assert str(breach) == (
        f"Load test budget broken: {budget} for GET /, "
        f"{limit} ms (budget: under {limit} ms)."
    )


def test_the_error_rate_is_judged_on_all_requests_together() -> None:
    (breach,) = broken(Entry(fail_ratio=ERROR_RATE), [])
    assert breach.budget == "error rate"
    assert str(breach).endswith("all requests, 0.10% (budget: under 0.1%).")


def test_a_run_without_requests_is_broken() -> None:
    (breach,) = broken(Entry(num_requests=0), [])
    assert breach.budget == "requests"


def test_the_summary_gives_every_figure_judged() -> None:
    assert summary(Entry(fail_ratio=0.0005), 42.04) == (
        "Load test: 1000 requests, 42.0/s, p50 40 ms, p95 120 ms, p99 300 ms, "
        "errors 0.05%."
    )
