"""The base class of every task: transient errors are retried with backoff."""

from celery import Task
from django.db import InterfaceError, OperationalError

# Errors worth another try, not bugs: the database's connection errors, and the
# standard library's connection and timeout errors. Client libraries such as
# requests raise their own classes, which a task lists in its autoretry_for.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class RetryingTask(Task):  # type: ignore[type-arg]  # any task signature
    """Every task retries transient errors with exponential backoff and jitter.

    Waits are random, up to 2, 4, 8, ... seconds, each at most 10 minutes: ten
    retries span up to 27 minutes, long enough to ride out a database
    failover. The randomness keeps tasks failed by the same outage from all
    coming back at the same moment. A task can override any of these in its
    decorator, and add its own client library's errors to autoretry_for.
    """

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 10 * 60
    retry_jitter = True
    max_retries = 10
