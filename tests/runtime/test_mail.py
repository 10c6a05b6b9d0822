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
    (delivery,) = sink.messages
    assert delivery.sender == "<shop@example.com>"
    assert delivery.recipients == ["<ops@example.org>"]
    assert "Subject: Test email from" in delivery.data
    assert delivery.user is None and delivery.tls is None


USER = "mailer"


def submission_server(directory: Path) -> tuple[SmtpSinkServer, Path]:
    """A submission server with STARTTLS, as 127.0.0.1's certificate, and AUTH
    for USER with a fresh password; and the certificate, to be trusted."""
    cert, key = self_signed_certificate(directory, "IP:127.0.0.1")
    sink = SmtpSinkServer(("127.0.0.1", 0), SmtpSink)
    sink.messages = []
    sink.tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    sink.tls_context.load_cert_chain(cert, key)
    sink.credentials = (USER, secrets.token_urlsafe(16))
    return sink, cert


def submission_env(
    project: Path, sink: SmtpSinkServer, password: str, **extra: str
) -> dict[str, str]:
    return production_env(
        project,
        DEAD_DATABASE,
        EMAIL_URL=f"submission://{USER}:{password}@127.0.0.1:{sink.server_address[1]}",
        PYTHONWARNINGS=NO_DEPRECATIONS,
        **extra,
    )


def test_submission_mail_is_sent_over_starttls_and_authenticated(
    all_off: Path, tmp_path: Path
) -> None:
    """submission:// as production sends it: STARTTLS, the certificate verified
    against the CA that SSL_CERT_FILE names (as a host's CA store would), then
    AUTH, then the message."""
    sink, cert = submission_server(tmp_path)
    assert sink.credentials
    env = submission_env(all_off, sink, sink.credentials[1], SSL_CERT_FILE=str(cert))
    with serving(sink):
        manage(all_off, env, "sendtestemail", "ops@example.org")
    (delivery,) = sink.messages
    assert delivery.user == USER
    assert delivery.tls in ("TLSv1.2", "TLSv1.3")
    assert delivery.recipients == ["<ops@example.org>"]
    assert "Subject: Test email from" in delivery.data


def test_a_wrong_smtp_password_fails_with_the_servers_refusal(
    all_off: Path, tmp_path: Path
) -> None:
    sink, cert = submission_server(tmp_path)
    wrong = secrets.token_urlsafe(16)
    env = submission_env(all_off, sink, wrong, SSL_CERT_FILE=str(cert))
    with serving(sink):
        result = manage(all_off, env, "sendtestemail", "ops@example.org", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "SMTPAuthenticationError: (535" in output, output
    assert wrong not in output
    assert sink.messages == []


def test_an_untrusted_smtp_certificate_is_refused(
    all_off: Path, tmp_path: Path
) -> None:
    """Without the test CA in the trust store, the certificate is not accepted:
    production verifies it, and nothing is sent in the clear or to the sink."""
    sink, _ = submission_server(tmp_path)
    assert sink.credentials
    env = submission_env(all_off, sink, sink.credentials[1])
    with serving(sink):
        result = manage(all_off, env, "sendtestemail", "ops@example.org", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "CERTIFICATE_VERIFY_FAILED" in output, output
    assert sink.messages == []


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
