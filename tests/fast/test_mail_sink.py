"""Fast tier: the SMTP stand-in speaks STARTTLS and AUTH as a submission server
does, so that the runtime tier's submission:// test proves what it claims."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.mail import SmtpSink, SmtpSinkServer, serving
from harness.tls import self_signed_certificate

PASSWORD = "correct horse"


@pytest.fixture
def submission(tmp_path: Path) -> Iterator[tuple[SmtpSinkServer, ssl.SSLContext]]:
    """A running sink with STARTTLS and AUTH, and a client context trusting it."""
    cert, key = self_signed_certificate(tmp_path, "IP:127.0.0.1")
    sink = SmtpSinkServer(("127.0.0.1", 0), SmtpSink)
    sink.messages = []
    sink.tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    sink.tls_context.load_cert_chain(cert, key)
    sink.credentials = ("mailer", PASSWORD)
    with serving(sink):
        yield sink, ssl.create_default_context(cafile=str(cert))


def client(sink: SmtpSinkServer) -> smtplib.SMTP:
    return smtplib.SMTP("127.0.0.1", sink.server_address[1], timeout=10)


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_the_sink_authenticates_over_tls_and_records_it(
    submission: tuple[SmtpSinkServer, ssl.SSLContext], mechanism: str
) -> None:
    sink, context = submission
    with client(sink) as smtp:
        smtp.starttls(context=context)
        smtp.user, smtp.password = "mailer", PASSWORD
        authenticate = smtp.auth_plain if mechanism == "PLAIN" else smtp.auth_login
        assert smtp.auth(mechanism, authenticate)[0] == 235
        smtp.sendmail("shop@example.com", ["ops@example.org"], "Subject: hi\r\n\r\nhi")
    (delivery,) = sink.messages
    assert (delivery.user, delivery.recipients) == ("mailer", ["<ops@example.org>"])
    assert delivery.tls in ("TLSv1.2", "TLSv1.3")


def test_the_sink_refuses_a_wrong_password(
    submission: tuple[SmtpSinkServer, ssl.SSLContext],
) -> None:
    sink, context = submission
    with client(sink) as smtp:
        smtp.starttls(context=context)
        with pytest.raises(smtplib.SMTPAuthenticationError) as caught:
            smtp.login("mailer", "wrong")
        assert caught.value.smtp_code == 535
    assert sink.messages == []


def test_the_sink_wants_tls_before_auth_and_auth_before_mail(
    submission: tuple[SmtpSinkServer, ssl.SSLContext],
) -> None:
    sink, _ = submission
    with client(sink) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls") and not smtp.has_extn("auth")
        assert smtp.docmd("AUTH", "PLAIN AG1haWxlcgBjb3JyZWN0IGhvcnNl")[0] == 538
        assert smtp.mail("shop@example.com")[0] == 530
    assert sink.messages == []
