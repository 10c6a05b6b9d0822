"""Stand-ins for the servers that production mail goes to: an SMTP sink and
an email service's HTTP API."""

from __future__ import annotations

import http.client
import http.server
import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Django's migration guide to MAILERS: tests with an in-memory backend miss
# the deprecations of the production mail path, so send with them as errors.
NO_DEPRECATIONS = "error::DeprecationWarning,error::PendingDeprecationWarning"


class SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages and keep them in server.messages.

    Python 3.12 removed smtpd; a sink this small needs no dependency.
    """

    server: SmtpSinkServer

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline().decode():
            verb = line[:4].upper()
            if verb == "QUIT":
                self.reply("221 bye")
                return
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
                    (sender, recipients, b"".join(data).decode())
                )
            elif verb not in ("EHLO", "HELO", "RSET", "NOOP"):
                self.reply("502 not implemented")
                continue
            self.reply("250 ok")


class SmtpSinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    messages: list[tuple[str, list[str], str]]


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
