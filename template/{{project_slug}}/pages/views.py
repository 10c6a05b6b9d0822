"""The home page, the security policy, robots.txt, security.txt, /favicon.ico
and the 500 page."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# RFC 9116 asks for an expiry less than a year away. The file is written for
# every request, so it never goes stale while the site, and the contact
# address it is configured with, are live.
SECURITY_TXT_VALID_FOR = timedelta(days=180)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


@require_safe
def security(request: HttpRequest) -> HttpResponse:
    """How to report a vulnerability: the policy that security.txt names."""
    contact = settings.SECURITY_CONTACT
    return render(
        request,
        "pages/security.html",
        {"contact": contact, "contact_label": contact.removeprefix("mailto:")},
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers fetch for a page that names no icon (the
    admin's): the layout's icon, rather than a 404 in the browser's console."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_safe
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/robots.txt", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=60 * 60 * 24, public=True)
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt, as RFC 9116 describes it."""
    expires = datetime.now(UTC).replace(microsecond=0) + SECURITY_TXT_VALID_FOR
    return render(
        request,
        "pages/security.txt",
        {
            "contact": settings.SECURITY_CONTACT,
            "expires": expires.isoformat().replace("+00:00", "Z"),
            "policy": request.build_absolute_uri(reverse("security")),
            "canonical": request.build_absolute_uri(reverse("security-txt")),
        },
        content_type="text/plain; charset=utf-8",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, in the layout, without anything that needs the request,
    the session or the database, which may be what failed."""
    page = loader.get_template("500.html").render({"site_name": settings.SITE_NAME})
    return HttpResponseServerError(page)
