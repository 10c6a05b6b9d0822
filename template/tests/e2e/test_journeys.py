"""A person's journeys in a real browser: every page is photographed and
checked by axe-core, and none may break its Content Security Policy."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from ..test_accounts import PASSWORD, totp
from .conftest import Visit

# The live server runs in another thread: its writes must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "ada@example.com"
NEW_PASSWORD = "another horse battery staple"


def mailed_link(to: str) -> str:
    """The path of the link in the last mail to ``to``."""
    message = [sent for sent in mail.outbox if to in sent.to][-1]
    found = re.search(r"https?://[^/\s]+(/accounts/\S+/)", str(message.body))
    assert found, message.body
    return found.group(1)


def person(staff: bool = False) -> None:
    """Someone who signed up and followed the mailed link."""
    user = get_user_model().objects.create_user(
        "ada", ADDRESS, PASSWORD, is_staff=staff, is_superuser=staff
    )
    EmailAddress.objects.create(user=user, email=ADDRESS, verified=True, primary=True)


def submit(visit: Visit, button: str, **fields: str) -> None:
    """Type each field's value into the input of that name, press ``button``."""
    for name, value in fields.items():
        visit.page.fill(f"input[name={name}]", value)
    visit.page.get_by_role("button", name=button, exact=True).click()


def signed_in(visit: Visit, label: str) -> None:
    expect(
        visit.page.get_by_role("button", name="Sign out", exact=True)
    ).to_be_visible()
    visit.check(label)


def sign_in(visit: Visit, password: str = PASSWORD) -> None:
    visit.open("/accounts/login/")
    visit.check("sign-in")
    submit(visit, "Sign In", login=ADDRESS, password=password)


def sign_out(visit: Visit) -> None:
    visit.page.get_by_role("button", name="Sign out", exact=True).click()
    site = visit.page.get_by_role("navigation", name="Site")
    expect(site.get_by_role("link", name="Sign in")).to_be_visible()
    visit.check("signed-out")


def enrol_totp(visit: Visit) -> str:
    """Turn on the authenticator app for the signed-in person; its secret."""
    visit.open("/accounts/2fa/totp/activate/")
    expect(visit.page).to_have_url(re.compile("/accounts/reauthenticate/"))
    visit.check("reauthenticate")
    submit(visit, "Confirm", password=PASSWORD)
    expect(visit.page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    visit.check("totp-activate")
    # The page shows a new secret on every visit: the code is for this one.
    secret = visit.page.input_value("#authenticator_secret")
    submit(visit, "Activate", code=totp(secret))
    expect(visit.page).not_to_have_url(re.compile("/totp/activate/"))
    visit.check("totp-activated")
    return secret


def test_home(visit: Visit) -> None:
    visit.open("/")
    expect(visit.page.get_by_role("main")).to_be_visible()
    visit.check("home")


def test_sign_up_verify_sign_in_enrol_and_sign_in_with_a_code(visit: Visit) -> None:
    visit.open("/")
    visit.check("home")
    visit.page.get_by_role("link", name="Sign up").first.click()
    visit.check("sign-up")
    submit(visit, "Sign Up", email=ADDRESS, password1=PASSWORD, password2=PASSWORD)
    expect(visit.page).to_have_url(re.compile("/accounts/confirm-email/$"))
    visit.check("verify-your-address")

    visit.open(mailed_link(ADDRESS))
    visit.check("confirm-address")
    submit(visit, "Confirm")
    expect(visit.page).to_have_url(re.compile("/accounts/login/$"))
    assert EmailAddress.objects.get(email=ADDRESS).verified

    sign_in(visit)
    signed_in(visit, "signed-in")
    secret = enrol_totp(visit)
    sign_out(visit)

    sign_in(visit)
    expect(visit.page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    visit.check("second-factor")
    # The next 30-second step's code, which the tolerance of one step accepts.
    submit(visit, "Sign In", code=totp(secret, time.time() + 30))
    signed_in(visit, "signed-in-with-a-code")
    sign_out(visit)


def test_reset_a_forgotten_password(visit: Visit) -> None:
    person()
    visit.open("/accounts/password/reset/")
    visit.check("password-reset")
    submit(visit, "Reset My Password", email=ADDRESS)
    expect(visit.page).to_have_url(re.compile("/accounts/password/reset/done/"))
    visit.check("password-reset-mailed")

    visit.open(mailed_link(ADDRESS))
    visit.check("new-password")
    submit(visit, "Change Password", password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    expect(visit.page).to_have_url(re.compile("/accounts/password/reset/key/done/"))
    visit.check("password-changed")

    sign_in(visit, NEW_PASSWORD)
    signed_in(visit, "signed-in-with-the-new-password")


def test_staff_reach_the_admin_with_a_second_factor(visit: Visit) -> None:
    person(staff=True)
    admin = f"/{settings.ADMIN_URL}"
    sign_in(visit)
    visit.open(admin)
    expect(visit.page).to_have_url(re.compile("/accounts/2fa/$"))
    visit.check("admin-wants-a-second-factor")
    enrol_totp(visit)
    visit.open(admin)
    heading = visit.page.get_by_role("heading", name="Site administration")
    expect(heading).to_be_visible()
    visit.check("admin")
    visit.open("/")
    sign_out(visit)
