"""The admin site: reached through the accounts' sign-in, with a second factor.

Django's admin has a login form of its own, which would skip everything the
accounts app adds: the second factor, the rate limits and the verified
address. This site sends a signed-out visitor to the accounts' sign-in, and a
staff member without a second factor to enrol one, before any admin page.
"""

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

ENROL_MESSAGE = (
    "The admin needs a second factor: set up an authenticator app or a passkey, "
    "then open the admin again."
)


def has_second_factor(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and is_mfa_enabled(request.user))


class AdminSite(admin.AdminSite):
    """The default admin site, for active staff with a second factor only."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and has_second_factor(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            target = index
        user = request.user
        if not user.is_authenticated:
            query = urlencode({REDIRECT_FIELD_NAME: target})
            return HttpResponseRedirect(f"{resolve_url('account_login')}?{query}")
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not has_second_factor(request):
            messages.warning(request, ENROL_MESSAGE)
            return HttpResponseRedirect(reverse("mfa_index"))
        return HttpResponseRedirect(target)
