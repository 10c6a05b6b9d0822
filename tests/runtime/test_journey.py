"""Runtime tier: a person's whole way in, with a real HTTP client, through
nginx with TLS and gunicorn under the production settings, PostgreSQL, Redis
and an SMTP server: sign up, read the mail, verify, sign in, enrol an
authenticator app, sign out, sign in with its code, and reach the admin."""

from __future__ import annotations

import email
import email.policy
import re
import secrets
import time
from pathlib import Path

import pytest

from harness import nginx
from harness.mail import SmtpSink, SmtpSinkServer, serving
from harness.processes import manage
from harness.tls import DOMAIN
from harness.visitor import Visitor, totp

pytestmark = pytest.mark.xdist_group("runtime")

# New for each run: the rate limits live in Redis, which outlives a run, and
# one verification mail per address is sent every three minutes at most.
ADDRESS = f"ada-{secrets.token_hex(4)}@example.org"
PASSWORD = "correct horse battery staple"
SECRET_FIELD = re.compile(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"')
SECURITY_HEADERS = ("Strict-Transport-Security", "Content-Security-Policy",
                    "X-Content-Type-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy", "X-Frame-Options",
                    "Permissions-Policy")  # fmt: skip


def mailed_link(sink: SmtpSinkServer, to: str) -> str:
    """The path of the link in the last mail to ``to``, once it has arrived."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for delivery in reversed(sink.messages):
            if f"<{to}>" in delivery.recipients:
                message = email.message_from_string(
                    delivery.data, policy=email.policy.default
                )
                body = message.get_body(("plain",))
                assert body is not None and message.get_body(("html",)) is not None
                text = body.get_content()
                found = re.search(rf"https://{re.escape(DOMAIN)}(/accounts/\S+/)", text)
                assert found, text
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to}: {sink.messages}")


def test_a_person_signs_up_verifies_enrols_a_second_factor_and_reaches_the_admin(
    all_off: Path, tmp_path: Path
) -> None:
    """With email=smtp, so that the mail reaches the SMTP server in EMAIL_URL."""
    project = all_off
    sink = SmtpSinkServer(("127.0.0.1", 0), SmtpSink)
    sink.messages = []
    smtp = f"smtp://127.0.0.1:{sink.server_address[1]}"
    with serving(sink), nginx.behind_nginx(project, tmp_path, EMAIL_URL=smtp) as site:
        person = Visitor(site)
        status, headers, page = person.get("/")
        assert status == 200 and "Sign up" in page
        assert all(headers[name] for name in SECURITY_HEADERS)

        signup = {"email": ADDRESS, "password1": PASSWORD, "password2": PASSWORD}
        assert person.submit("/accounts/signup/", signup) == (
            302,
            "/accounts/confirm-email/",
        )
        confirm = mailed_link(sink, ADDRESS)
        assert person.submit(confirm, {})[0] == 302

        sign_in = {"login": ADDRESS, "password": PASSWORD}
        assert person.submit("/accounts/login/", sign_in) == (302, "/")
        person.submit("/accounts/reauthenticate/", {"password": PASSWORD})
        status, _, page = person.get("/accounts/2fa/totp/activate/")
        assert status == 200, page
        found = SECRET_FIELD.search(page)
        assert found, page
        secret = found.group(1)
        # Posted from the page just read: a new GET would show a new secret.
        code = {"code": totp(secret, time.time())}
        status, _, page = person.request("POST", "/accounts/2fa/totp/activate/", code)
        assert status == 302, page
        assert person.submit("/accounts/logout/", {})[0] == 302

        assert person.submit("/accounts/login/", sign_in) == (
            302,
            "/accounts/2fa/authenticate/",
        )
        # The next 30-second step's code, which the tolerance of one step accepts.
        code = {"code": totp(secret, time.time() + 30)}
        assert person.submit("/accounts/2fa/authenticate/", code) == (302, "/")

        promote = (
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.filter(email='{ADDRESS}')"
            ".update(is_staff=True, is_superuser=True)"
        )
        manage(project, site.env, "shell", "--command", promote)
        status, headers, page = person.get("/admin/")
        assert status == 200, page
        assert "Site administration" in page
        assert all(headers[name] for name in SECURITY_HEADERS)
