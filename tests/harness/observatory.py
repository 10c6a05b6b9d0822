"""The MDN HTTP Observatory's own scanner, grading a site served here.

The scanner takes a host name only: it fetches http://HOST/ and https://HOST/
on the default ports 80 and 443, verifying the certificate (a site it cannot
verify loses its HSTS marks), then /robots.txt and a CORS preflight. So the
site is served on 127.0.0.1:80 and 443, for a host name that resolves to
127.0.0.1, and Node trusts the test certificate through NODE_EXTRA_CA_CERTS.
"""

from __future__ import annotations

import errno
import json
import socket
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from harness.commands import ROOT, require, run
from harness.node import node_tool

# A name getaddrinfo resolves to loopback on any machine, with no DNS.
HOST = "localhost"
PORTS = (80, 443)
# The command-line scanner itself. The package's bin wrapper runs it with
# NODE_EXTRA_CA_CERTS set to its own CA bundle, replacing the test CA.
SCANNER = "@mdn/mdn-http-observatory/src/scan.js"


class Scan(NamedTuple):
    """A scan's grade and score, and each test's outcome by test name."""

    grade: str
    score: int
    tests: dict[str, dict[str, Any]]

    @property
    def failed(self) -> list[str]:
        return [name for name, test in self.tests.items() if not test["pass"]]

    def report(self) -> str:
        lines = [f"Observatory grade {self.grade}, score {self.score}"]
        for name, test in self.tests.items():
            outcome = "passed" if test["pass"] else "FAILED"
            lines.append(
                f"  {name}: {outcome}, {test['result']} ({test['scoreModifier']:+d})"
            )
        return "\n".join(lines)


def default_ports() -> tuple[int, int]:
    """Ports 80 and 443 of 127.0.0.1, once it is sure that nginx can listen there."""
    loopback = {info[4][0] for info in socket.getaddrinfo(HOST, None)}
    if "127.0.0.1" not in loopback:
        pytest.fail(f"{HOST} does not resolve to 127.0.0.1 here: {loopback}")
    for port in PORTS:
        with socket.socket() as sock:
            # As nginx binds: connections still in TIME_WAIT do not count.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except PermissionError:
                pytest.fail(
                    f"the Observatory scans port {port}, which only root may "
                    "listen on here (or lower net.ipv4.ip_unprivileged_port_start)",
                    pytrace=False,
                )
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                pytest.fail(
                    f"the Observatory scans port {port} of 127.0.0.1, and another "
                    "server listens there: stop it to run this test",
                    pytrace=False,
                )
    return PORTS


def observatory_scan(cafile: Path, host: str = HOST) -> Scan:
    """Grade https://host/ as the Observatory's website would, trusting ``cafile``."""
    result = run(
        [require("node"), node_tool(SCANNER), host],
        cwd=ROOT,
        env={
            "NODE_EXTRA_CA_CERTS": str(cafile),
            # Node dials the addresses in getaddrinfo's order; nginx listens
            # on 127.0.0.1 only.
            "NODE_OPTIONS": "--dns-result-order=ipv4first",
        },
        timeout=60,
    )
    output = json.loads(result.stdout)
    scan = output["scan"]
    return Scan(scan["grade"], scan["score"], output["tests"])
