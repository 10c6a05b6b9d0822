"""Certificates and TLS clients for the tests of nginx and of mail over HTTPS."""

from __future__ import annotations

import http.client
import socket
import ssl
from pathlib import Path

from harness.commands import run

# The domain the generated site is served from with the default answers.
DOMAIN = "example.com"


def self_signed_certificate(
    directory: Path, alt_name: str = f"DNS:{DOMAIN}"
) -> tuple[Path, Path]:
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", key, "-out", cert, "-subj", f"/CN={DOMAIN}",
         "-addext", f"subjectAltName={alt_name}"],
        cwd=directory,
    )  # fmt: skip
    return cert, key


def tls_get(
    port: int,
    path: str,
    cafile: Path,
    headers: dict[str, str] | None = None,
    version: ssl.TLSVersion | None = None,
    host: str = DOMAIN,
) -> http.client.HTTPResponse:
    """GET over TLS from 127.0.0.1, naming ``host`` in SNI as a browser would."""
    context = ssl.create_default_context(cafile=str(cafile))
    context.check_hostname = False  # the certificate names DOMAIN; we dial 127.0.0.1
    if version is not None:
        context.minimum_version = context.maximum_version = version
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context)
    connection.sock = context.wrap_socket(
        socket.create_connection(("127.0.0.1", port), 10), server_hostname=host
    )
    connection.request("GET", path, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response
