"""Runtime tier: mail sent under the production settings reaches the server the
environment names."""

from __future__ import annotations

import secrets
import ssl
from pathlib import Path

import pytest

from harness.mail import (
    NO_DEPRECATIONS,
    PostmarkServer,
    PostmarkStandIn,
    SmtpSink,
    SmtpSinkServer,
    serving,
)
from harness.processes import manage
from harness.services import DEAD_DATABASE, production_env
from harness.tls import self_signed_certificate

pytestmark = pytest.mark.xdist_group("runtime")


def test_production_mail_reaches_the_smtp_server_in_email_url(all_off: Path) -> None:
    sink = SmtpSinkServer(("127.0.0.1", 0), SmtpSink)
    sink.messages = []
    env = production_env(
        all_off,
        DEAD_DATABASE,
        EMAIL_URL=f"smtp://127.0.0.1:{sink.server_address[1]}",
        DJANGO_DEFAULT_FROM_EMAIL="shop@example.com",
        PYTHONWARNINGS=NO_DEPRECATIONS,
    )
    with serving(sink):
        manage(all_off, env, "sendtestemail", "ops@example.org")
    ((sender, recipients, data),) = sink.messages
    assert sender == "<shop@example.com>"
    assert recipients == ["<ops@example.org>"]
    assert "Subject: Test email from" in data


def test_production_mail_reaches_the_email_service_over_https(
    all_on: Path, tmp_path: Path
) -> None:
    """Postmark's API, stood in for by a local HTTPS server: EMAIL_API_URL
    points at it and REQUESTS_CA_BUNDLE makes its certificate trusted."""
    cert, key = self_signed_certificate(tmp_path, "IP:127.0.0.1")
    server = PostmarkServer(("127.0.0.1", 0), PostmarkStandIn)
    server.requests = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    token = secrets.token_urlsafe(24)
    env = production_env(
        all_on,
        DEAD_DATABASE,
        EMAIL_PROVIDER="postmark",
        EMAIL_API_KEY=token,
        EMAIL_API_URL=f"https://127.0.0.1:{server.server_address[1]}",
        REQUESTS_CA_BUNDLE=str(cert),
        PYTHONWARNINGS=NO_DEPRECATIONS,
    )
    with serving(server):
        manage(all_on, env, "sendtestemail", "ops@example.org")
    ((path, headers, payload),) = server.requests
    assert path == "/email"
    assert headers["X-Postmark-Server-Token"] == token
    assert payload["From"] == "noreply@example.com"  # the default sender
    assert payload["To"] == "ops@example.org"
    assert str(payload["Subject"]).startswith("Test email from")
