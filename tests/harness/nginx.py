"""The generated nginx site, on test ports and paths, in front of gunicorn."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from harness.commands import free_port, require, run
from harness.processes import gunicorn, manage
from harness.services import postgres_database, production_env
from harness.tls import DOMAIN, self_signed_certificate


class Site(NamedTuple):
    """The generated site behind nginx: its ports, the CA file that trusts its
    certificate, the access log of this nginx (no other), and the production
    environment its gunicorn runs with."""

    http_port: int
    https_port: int
    cafile: Path
    access_log: Path
    env: dict[str, str]


def nginx_config(
    project: Path,
    work: Path,
    upstream: str,
    http_port: int,
    https_port: int,
    host: str = DOMAIN,
    edits: dict[str, str] | None = None,
) -> Path:
    """The generated site, pointed at test ports and paths, inside a minimal
    nginx.conf; ``host`` replaces the rendered domain as the server's name and
    the certificate's, and ``edits`` (text: replacement) break it on purpose.

    Each value the test changes must occur as often as the table says in the
    generated file, so that a change in its shape fails here instead of being
    silently skipped.
    """
    cert, key = self_signed_certificate(work, f"DNS:{host}")
    site = (project / "deploy/nginx/my_project.conf").read_text()
    https = f"127.0.0.1:{https_port} ssl"
    replacements = {  # text: (replacement, occurrences)
        f"server_name {DOMAIN};": (f"server_name {host};", 2),
        "listen 80;": (f"listen 127.0.0.1:{http_port};", 1),
        "listen 80 default_server;": (
            f"listen 127.0.0.1:{http_port} default_server;",
            1,
        ),
        "listen 443 ssl http2;": (f"listen {https} http2;", 1),
        "listen 443 ssl default_server;": (f"listen {https} default_server;", 1),
        "listen [::]:80;": ("", 1),
        "listen [::]:80 default_server;": ("", 1),
        "listen [::]:443 ssl http2;": ("", 1),
        "listen [::]:443 ssl default_server;": ("", 1),
        "server 127.0.0.1:8000;": (f"server {upstream};", 1),
        "/etc/ssl/my_project/fullchain.pem": (str(cert), 1),
        "/etc/ssl/my_project/privkey.pem": (str(key), 1),
        "/srv/my_project/staticfiles/": (f"{project}/staticfiles/", 2),
        "/srv/my_project/media/": (f"{project}/media/", 1),
        "/var/log/nginx/my_project.access.log": (f"{work}/site-access.log", 2),
        **{old: (new, 1) for old, new in (edits or {}).items()},
    }
    for old, (new, count) in replacements.items():
        assert site.count(old) == count, f"{old!r} occurs {site.count(old)} times"
        site = site.replace(old, new)
    (work / "site.conf").write_text(site)
    temp = "".join(
        f"{kind}_temp_path {work}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = work / "nginx.conf"
    conf.write_text(
        # Workers run as root here so they can read the pytest temp directory.
        f"user root;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log;\ndaemon off;\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log {work}/access.log;\n"
        f"{temp}include {work}/site.conf;\n}}\n"
    )
    return conf


@contextmanager
def production_app(
    project: Path, work: Path, **extra_env: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """gunicorn with production settings on a fresh, migrated database, its
    files in ``work``: its address (host:port) and its environment, to which
    ``extra_env`` adds or which it overrides."""
    with postgres_database() as database_url:
        env = production_env(project, database_url, **extra_env)
        manage(project, env, "migrate", "--no-input")
        with gunicorn(project, env, work / "gunicorn") as base:
            yield base.removeprefix("http://"), env


@contextmanager
def nginx_in_front(
    project: Path,
    work: Path,
    app: tuple[str, dict[str, str]],
    ports: tuple[int, int] | None = None,
    host: str = DOMAIN,
    edits: dict[str, str] | None = None,
) -> Iterator[Site]:
    """The generated nginx site in front of a production ``app``, its files in
    ``work``, on the HTTP and HTTPS ``ports`` (free ones by default) for
    ``host``, with ``edits`` made to the site (see nginx_config)."""
    nginx = require("nginx")
    upstream, env = app
    http_port, https_port = ports or (free_port(), free_port())
    conf = nginx_config(project, work, upstream, http_port, https_port, host, edits)
    run([nginx, "-t", "-c", conf, "-p", work], cwd=work)
    process = subprocess.Popen([nginx, "-c", conf, "-p", work], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", https_port), 1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield Site(
            http_port, https_port, work / "fullchain.pem", work / "site-access.log", env
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def behind_nginx(project: Path, work: Path, **extra_env: str) -> Iterator[Site]:
    """gunicorn behind nginx with TLS, its files in ``work``; ``extra_env`` adds
    to the production environment or overrides it."""
    with production_app(project, work, **extra_env) as app:
        with nginx_in_front(project, work, app) as site:
            yield site
