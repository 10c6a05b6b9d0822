"""A new session id whenever an account's privileges change.

Django gives a session a new id at sign-in, and at a password change (through
update_session_auth_hash). Adding or removing a second factor changes what
the session may do too, so it gets a new id as well: an id that leaked
before cannot ride on the stronger sign-in.
"""

from typing import Any

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver
from django.http import HttpRequest


@receiver(authenticator_added)
@receiver(authenticator_removed)
def rotate_the_session(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    request.session.cycle_key()
