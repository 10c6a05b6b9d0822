"""The critical endpoints under load, for `make loadtest` (Locust, headless).

Each simulated visitor asks for the home page and the sign-in page, and the
load balancer's probes run beside them; every file that `make loadtest`
names adds its clients. When the run ends, the budgets in loadtest/budgets.py
decide the exit code, and each broken one is named in one line.
"""

import logging
from typing import Any

from locust import events, task
from locust.env import Environment

from loadtest.budgets import broken, summary
from loadtest.client import Client

logger = logging.getLogger(__name__)


class Visitor(Client):
    """A person on the site, signed out, and the health probes."""

    # Users are shared out among the classes of every file that `make
    # loadtest` names by their weights: visitors are the most.
    weight = 3

    @task(3)
    def home(self) -> None:
        self.expect("/")

    @task(2)
    def sign_in_page(self) -> None:
        self.expect("/accounts/login/")

    @task
    def live(self) -> None:
        self.expect("/health/live/")

    @task
    def ready(self) -> None:
        self.expect("/health/ready/")


def judge(environment: Environment, **kwargs: Any) -> None:
    """Exit 1 when a budget is broken, naming each broken one; else exit 0."""
    stats = environment.stats
    if stats is None:
        return
    logger.info(summary(stats.total, stats.total.total_rps))
    breaches = broken(stats.total, stats.entries.values())
    for breach in breaches:
        logger.error(breach)
    environment.process_exit_code = 1 if breaches else 0


events.quitting.add_listener(judge)
