"""Runtime tier: the generated nginx site with TLS, in front of gunicorn; the
MDN HTTP Observatory's own scanner grades it A+, as its website grades a
deployed site (docs/security/hardening.md in a project)."""

from __future__ import annotations

import http.client
import json
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import nginx
from harness.client import get
from harness.nginx import Site
from harness.observatory import HOST, default_ports, observatory_scan
from harness.tls import DOMAIN, tls_get

pytestmark = pytest.mark.xdist_group("runtime")


SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# Django sets HSTS on the pages it serves; this hides it from the client.
WITHOUT_HSTS = {
    "proxy_redirect off;": (
        "proxy_redirect off;\n        proxy_hide_header Strict-Transport-Security;"
    )
}
App = tuple[str, dict[str, str]]


@pytest.fixture(scope="module")
def app(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """gunicorn in production for this module's render, behind every nginx."""
    with nginx.production_app(project, tmp_path_factory.mktemp("app")) as running:
        yield running


@pytest.fixture(scope="module")
def behind_nginx(
    project: Path, app: App, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """nginx with TLS on free ports, in front of this module's gunicorn."""
    with nginx.nginx_in_front(project, tmp_path_factory.mktemp("nginx"), app) as site:
        yield site


def test_nginx_redirects_http_to_https(behind_nginx: Site) -> None:
    http_port = behind_nginx.http_port
    status, headers, _ = get(
        f"http://127.0.0.1:{http_port}/accounts/login/?next=/x",
        headers={"Host": DOMAIN},
    )
    assert status == 301
    assert headers["Location"] == f"https://{DOMAIN}/accounts/login/?next=/x"


@pytest.mark.parametrize(
    "page", ["/", "/accounts/login/", "/accounts/signup/", "/.well-known/security.txt"]
)
def test_pages_through_tls_carry_every_security_header(
    behind_nginx: Site, page: str
) -> None:
    https_port, cafile = behind_nginx.https_port, behind_nginx.cafile
    response = tls_get(https_port, page, cafile)
    assert response.status == 200
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_all(name) == [value], name
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    # nginx's request id reaches Django and comes back.
    assert len(response.headers["X-Request-ID"]) == 32


# Offering TLS 1.1 on purpose, to see it refused, makes the ssl module warn.
@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated")
@pytest.mark.parametrize(
    ("version", "accepted"),
    [
        (ssl.TLSVersion.TLSv1_3, True),
        (ssl.TLSVersion.TLSv1_2, True),
        (ssl.TLSVersion.TLSv1_1, False),
    ],
    ids=["tls1.3", "tls1.2", "tls1.1"],
)
def test_nginx_speaks_only_tls_1_2_and_1_3(
    behind_nginx: Site, version: ssl.TLSVersion, accepted: bool
) -> None:
    https_port, cafile = behind_nginx.https_port, behind_nginx.cafile
    if accepted:
        assert (
            tls_get(https_port, "/health/live/", cafile, version=version).status == 200
        )
    else:
        with pytest.raises(ssl.SSLError):
            tls_get(https_port, "/health/live/", cafile, version=version)


def test_static_files_are_served_by_nginx_with_immutable_caching(
    project: Path, behind_nginx: Site
) -> None:
    https_port, cafile = behind_nginx.https_port, behind_nginx.cafile
    manifest = json.loads((project / "staticfiles/staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]
    response = tls_get(
        https_port, f"/static/{hashed}", cafile, headers={"Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers.get_all("Strict-Transport-Security") == [
        SECURITY_HEADERS["Strict-Transport-Security"]
    ]
    assert response.headers["Content-Encoding"] == "gzip"
    assert "X-Request-ID" not in response.headers  # nginx answered, not Django


def test_the_readiness_probe_works_through_nginx(
    behind_nginx: Site,
) -> None:
    https_port, cafile = behind_nginx.https_port, behind_nginx.cafile
    response = tls_get(https_port, "/health/ready/", cafile)
    assert response.status == 200


def test_unhashed_static_files_are_cached_briefly(
    behind_nginx: Site,
) -> None:
    https_port, cafile = behind_nginx.https_port, behind_nginx.cafile
    response = tls_get(https_port, "/static/admin/css/base.css", cafile)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_other_host_names_are_refused_without_an_answer(
    behind_nginx: Site,
) -> None:
    http_port, https_port, cafile = behind_nginx[:3]
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        get(f"http://127.0.0.1:{http_port}/", headers={"Host": "scanner.invalid"})
    with pytest.raises(ssl.SSLError):
        tls_get(https_port, "/", cafile, host="scanner.invalid")


def test_probes_answer_over_plain_http_from_the_private_network(
    behind_nginx: Site,
) -> None:
    http_port = behind_nginx.http_port
    status, _, body = get(
        f"http://127.0.0.1:{http_port}/health/ready/", headers={"Host": DOMAIN}
    )
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_nginx_logs_json_lines_with_the_request_id(behind_nginx: Site) -> None:
    """The line is read from this nginx's own log: the other render's nginx
    logs to a file of the same name in another directory."""
    https_port, cafile = behind_nginx.https_port, behind_nginx.cafile
    sent = tls_get(https_port, "/accounts/login/", cafile).headers["X-Request-ID"]
    log = behind_nginx.access_log
    deadline = time.monotonic() + 5
    while sent not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    (line,) = [json.loads(x) for x in log.read_text().splitlines() if sent in x]
    assert line["uri"] == "/accounts/login/" and line["status"] == 200
    # A number of seconds (nginx writes it unquoted); a page takes less than
    # the client's 10 s timeout.
    assert isinstance(line["request_time"], float), line
    assert 0 <= line["request_time"] < 10


@pytest.mark.parametrize(
    "path", ["/metrics", "/%6Detrics", "//metrics", "/metrics?a=1"]
)
def test_nginx_refuses_the_metrics_even_from_loopback(
    behind_nginx: Site, path: str
) -> None:
    """gunicorn answers /metrics to loopback (tests/runtime/test_metrics.py);
    through nginx, every spelling of it is refused by nginx itself."""
    response = tls_get(behind_nginx.https_port, path, behind_nginx.cafile)
    assert response.status == 404
    assert "X-Request-ID" not in response.headers  # nginx answered, not Django


def test_the_observatory_grades_the_site_a_plus(
    project: Path, app: App, tmp_path: Path
) -> None:
    with nginx.nginx_in_front(project, tmp_path, app, default_ports(), HOST) as site:
        scan = observatory_scan(site.cafile)
    assert scan.grade == "A+" and not scan.failed, scan.report()


def test_the_observatory_names_the_test_a_missing_header_fails(
    project: Path, app: App, tmp_path: Path
) -> None:
    with nginx.nginx_in_front(
        project, tmp_path, app, default_ports(), HOST, WITHOUT_HSTS
    ) as site:
        scan = observatory_scan(site.cafile)
    assert scan.grade != "A+", scan.report()
    assert scan.failed == ["strict-transport-security"], scan.report()
    assert "strict-transport-security: FAILED" in scan.report()
