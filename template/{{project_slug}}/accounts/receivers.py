"""What happens to the session at sign-in and when privileges change.

Django gives a session a new id at sign-in, and at a password change (through
update_session_auth_hash). Adding or removing a second factor changes what
the session may do too, so it gets a new id as well: an id that leaked
before cannot ride on the stronger sign-in.
"""

from typing import Any

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from . import sessions


@receiver(user_logged_in)
def note_the_sign_in(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Start the session's lifetime (sessions.SessionTimeoutMiddleware)."""
    sessions.start(request)


@receiver(authenticator_added)
@receiver(authenticator_removed)
def rotate_the_session(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """allauth sends these once the change is committed, still in the request."""
    request.session.cycle_key()
