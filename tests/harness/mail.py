"""Stand-ins for the servers that production mail goes to: an SMTP sink and
an email service's HTTP API."""

from __future__ import annotations

import base64
import http.client
import http.server
import json
import socketserver
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

# Django's migration guide to MAILERS: tests with an in-memory backend miss
# the deprecations of the production mail path, so send with them as errors.
NO_DEPRECATIONS = "error::DeprecationWarning,error::PendingDeprecationWarning"


class Delivery(NamedTuple):
    """A message the sink accepted, and how its session was secured."""

    sender: str
    recipients: list[str]
    data: str
    # The user that authenticated the session, or None.
    user: str | None
    # The TLS version of the session after STARTTLS, or None for plain text.
    tls: str | None


class SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages and keep them in server.messages.

    With server.tls_context set, it offers STARTTLS; with server.credentials
    set, it also offers AUTH PLAIN and LOGIN (only over TLS, when it has TLS),
    refuses wrong credentials with 535 and mail before authentication with 530,
    as a submission server on port 587 does. Python 3.12 removed smtpd; a sink
    this small needs no dependency.
    """

    server: SmtpSinkServer

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def read_line(self) -> str:
        return self.rfile.readline().decode()

    def start_tls(self) -> None:
        self.reply("220 ready to start TLS")
        assert self.server.tls_context is not None
        self.connection = self.server.tls_context.wrap_socket(
            self.connection, server_side=True
        )
        self.rfile = self.connection.makefile("rb")
        self.wfile = self.connection.makefile("wb", buffering=0)

    @property
    def tls(self) -> str | None:
        if isinstance(self.connection, ssl.SSLSocket):
            return self.connection.version()
        return None

    def authenticate(self, line: str) -> str | None:
        """The user that AUTH PLAIN or LOGIN names, if its password is right."""
        mechanism, _, initial = line[5:].strip().partition(" ")

        def answer(challenge: str) -> str:
            self.reply(f"334 {base64.b64encode(challenge.encode()).decode()}")
            return self.read_line().strip()

        try:
            if mechanism.upper() == "PLAIN":
                response = base64.b64decode(initial or answer("")).decode()
                _, user, password = response.split("\0")
            elif mechanism.upper() == "LOGIN":
                user = base64.b64decode(initial or answer("Username:")).decode()
                password = base64.b64decode(answer("Password:")).decode()
            else:
                return None
        except ValueError:
            return None
        return user if (user, password) == self.server.credentials else None

    def ehlo(self) -> None:
        features = ["sink"]
        if self.server.tls_context is not None and self.tls is None:
            features.append("STARTTLS")
        elif self.server.credentials is not None:
            features.append("AUTH PLAIN LOGIN")
        for feature in features[:-1]:
            self.reply(f"250-{feature}")
        self.reply(f"250 {features[-1]}")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        sender, recipients, user = "", [], None
        while line := self.read_line():
            verb = line[:4].upper()
            if verb == "QUIT":
                self.reply("221 bye")
                return
            if verb == "EHLO":
                self.ehlo()
                continue
            if verb == "STAR" and self.server.tls_context is not None:
                self.start_tls()
                continue
            if verb == "AUTH" and self.server.credentials is not None:
                if self.server.tls_context is not None and self.tls is None:
                    self.reply("538 5.7.11 encryption required")
                elif user := self.authenticate(line):
                    self.reply("235 2.7.0 authentication successful")
                else:
                    self.reply("535 5.7.8 authentication credentials invalid")
                continue
            if verb == "MAIL" and self.server.credentials is not None and not user:
                self.reply("530 5.7.0 authentication required")
                continue
            if verb == "MAIL":  # MAIL FROM:<address>
                sender, recipients = line[10:].strip(), []
            elif verb == "RCPT":  # RCPT TO:<address>
                recipients.append(line[8:].strip())
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                self.server.messages.append(
                    Delivery(
                        sender, recipients, b"".join(data).decode(), user, self.tls
                    )
                )
            elif verb not in ("HELO", "RSET", "NOOP"):
                self.reply("502 not implemented")
                continue
            self.reply("250 ok")


class SmtpSinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    messages: list[Delivery]
    tls_context: ssl.SSLContext | None = None
    credentials: tuple[str, str] | None = None


@contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


class PostmarkStandIn(http.server.BaseHTTPRequestHandler):
    """Answers Postmark's send API as Postmark does; keeps each request."""

    server: PostmarkServer

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((self.path, self.headers, json.loads(body)))
        answer = json.dumps(
            {"To": "ops@example.org", "SubmittedAt": "2026-01-01T00:00:00Z",
             "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
             "ErrorCode": 0, "Message": "OK"}
        ).encode()  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


class PostmarkServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, http.client.HTTPMessage, dict[str, object]]]
