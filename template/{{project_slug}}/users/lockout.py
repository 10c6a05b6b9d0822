"""Sign-in lockout that also stops password spraying.

django-axes counts failures for each group of AXES_LOCKOUT_PARAMETERS and
locks out at one limit for all of them. One limit cannot fit every group:
five failures are plenty for one username from one address, too few for one
address (an office behind one NAT address) or for one username tried from
many addresses (a stranger could lock a real user out at will). This handler
gives each group a limit of its own, in failures within AXES_COOLOFF_TIME:

- a username from one address: 5, the usual brute-force guard;
- one address, whatever the usernames: 30, which stops spraying many accounts
  from one place;
- one username, whatever the addresses: 50, which stops a distributed guess
  at one account, at the price that a stranger with 50 addresses' worth of
  tries can lock that account for the cool-off (15 minutes).

A successful login clears only the failures of its own username and address,
so that an attacker cannot reset an address's count by signing in to an
account of their own between guesses.
"""

from collections.abc import Sequence
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

LIMITS = {
    ("username", "ip_address"): 5,
    ("ip_address",): 30,
    ("username",): 50,
}


def group_key(group: str | Sequence[str]) -> tuple[str, ...]:
    return (group,) if isinstance(group, str) else tuple(group)


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler (untyped), with a limit per group."""

    def get_failures(self, request: HttpRequest, credentials: Any = None) -> int:
        """The failures of the group nearest its limit, scaled so that every
        group reaches AXES_FAILURE_LIMIT at its own limit."""
        groups = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        worst = 0
        for group, queryset in zip(groups, attempts, strict=True):
            total = queryset.aggregate(total=Sum("failures_since_start"))["total"]
            limit = LIMITS[group_key(group)]
            worst = max(worst, (total or 0) * settings.AXES_FAILURE_LIMIT // limit)
        return worst

    def reset_user_attempts(self, request: HttpRequest, credentials: Any = None) -> int:
        """After a successful login, forget its username and address's failures."""
        pair = self.filter_user_attempts(request, credentials)[0]
        deleted, _ = pair.delete()
        return int(deleted)


def username(request: HttpRequest, credentials: Any = None) -> str:
    """The account a sign-in attempt names, lower-cased.

    allauth's form posts it as "login" and authenticates with "email";
    `manage.py` tools and the test client pass "username". One spelling per
    account, so "Ada@Example.com" and "ada@example.com" share their count.
    """
    for source in (credentials or {}, request.POST):
        for field in ("email", "login", "username"):
            value = source.get(field)
            if value:
                return str(value).strip().lower()
    return ""
