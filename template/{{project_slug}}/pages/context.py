from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """What every page's layout shows: the site's name and description, and
    the sign-up link."""
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "signup_open": settings.ACCOUNT_SIGNUP_OPEN,
    }
