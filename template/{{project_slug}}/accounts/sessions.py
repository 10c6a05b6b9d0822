"""Sessions that end when idle, and at the latest a fixed time after sign-in.

Django ends a session SESSION_COOKIE_AGE seconds after it was last saved,
which is a lifetime or, with SESSION_SAVE_EVERY_REQUEST, an idle timeout, but
not both. This middleware keeps both: it notes in the session when the user
signed in and when they were last seen, and signs them out once either
DJANGO_SESSION_IDLE_TIMEOUT or DJANGO_SESSION_LIFETIME has passed.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# The wall clock, which the tests move forward.
clock = time.time
# How stale "last seen" may get, in seconds, so that a busy session is not
# written back to the database on every request.
SEEN_RESOLUTION = 60


def start(request: HttpRequest) -> None:
    """Note the sign-in: the lifetime counts from now."""
    now = clock()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self.check(request, clock())
        return self.get_response(request)

    def check(self, request: HttpRequest, now: float) -> None:
        session = request.session
        # A session from before this middleware starts its lifetime now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.get(LAST_SEEN_AT, now)
        idle = now - last_seen_at > settings.SESSION_IDLE_TIMEOUT
        expired = now - signed_in_at > settings.SESSION_COOKIE_AGE
        if idle or expired:
            logout(request)
        elif now - last_seen_at >= SEEN_RESOLUTION or LAST_SEEN_AT not in session:
            session[LAST_SEEN_AT] = now
