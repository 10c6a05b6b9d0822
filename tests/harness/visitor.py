"""A person's browser, reduced to what the account pages need: cookies, the
CSRF token of each form, and requests over TLS to the site behind nginx."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import re
import socket
import ssl
import struct
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from harness.nginx import Site
from harness.tls import DOMAIN

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    """Keeps the cookies the site sets, and sends them back, as a browser does."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPMessage, str]:
        context = ssl.create_default_context(cafile=str(self.site.cafile))
        # The certificate names DOMAIN; the connection dials 127.0.0.1.
        context.check_hostname = False
        connection = http.client.HTTPSConnection("127.0.0.1", self.site.https_port)
        connection.sock = context.wrap_socket(
            socket.create_connection(("127.0.0.1", self.site.https_port), 10),
            server_hostname=DOMAIN,
        )
        headers = {"Host": DOMAIN}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf_token, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks the Origin of an unsafe request against the host.
            headers["Origin"] = f"https://{DOMAIN}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if found := CSRF_FIELD.search(text):
            self.csrf_token = found.group(1)
        return response.status, response.headers, text

    def get(self, path: str) -> tuple[int, http.client.HTTPMessage, str]:
        return self.request("GET", path)

    def submit(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        """GET the page with the form, then POST it; the status and Location."""
        self.get(path)
        status, headers, _ = self.request("POST", path, form)
        return status, headers.get("Location", "")


def totp(secret: str, at: float) -> str:
    """What an authenticator app shows for ``secret`` at ``at`` (RFC 6238)."""
    counter = int(at // 30)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
