"""allauth's rate limits, counted where they survive a Redis outage."""

from allauth.core.internal import ratelimit

from config.limits import COUNTS


def count_allauth_limits_in_the_limits_cache() -> None:
    """Point allauth's rate limits at config.limits.COUNTS.

    allauth keeps its counts, and a lock around each, in the default cache and
    offers no setting to choose another: while Redis is down it could take no
    lock and refused every sign-in and sign-up. Its module reads the cache
    from one global, so that global is replaced here, once, at start-up;
    tests/test_accounts.py fails if a new allauth release moves it.
    """
    ratelimit.cache = COUNTS
