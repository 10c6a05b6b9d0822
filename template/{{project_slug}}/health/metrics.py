"""Prometheus metrics of the web process, and /metrics, which serves them.

:class:`MetricsMiddleware` counts each request and times it by view (the
resolved URL's name, never the raw path, so a scanner cannot mint new series),
method and status. Each scrape of /metrics runs the readiness checks and
reports each dependency as a gauge. Under gunicorn, every worker writes to
files in PROMETHEUS_MULTIPROC_DIR and a scrape adds up all of them
(config/metrics.py); elsewhere the process's own registry is served.

/metrics answers only a client in DJANGO_TRUSTED_PROXIES (as the proxy header
names it) or one with the bearer token DJANGO_METRICS_TOKEN; anyone else gets
a 404, as for a page that does not exist.
"""

import hmac
import ipaddress
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from config.metrics import DIRECTORY

from ..core.proxy import client_ip, networks

# Methods outside this list share one label, so they cannot add series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# The view label of a request that matched no URL.
UNRESOLVED = "<unresolved>"

REQUESTS = Counter(
    "django_http_requests",
    "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "django_http_request_duration_seconds",
    "Seconds from a request's arrival in Django to its response.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30),
)
DATABASE_ERRORS = Counter(
    "django_database_connection_errors",
    "Requests that failed because the database could not be reached.",
)
READY = Gauge(
    "django_dependency_ready",
    "1 when the dependency passed its readiness check at the last scrape, else 0.",
    ["dependency"],
    multiprocess_mode="livemostrecent",
)


def view_name(request: HttpRequest, probes: dict[str, str]) -> str:
    """The label of the view that answered: a probe's name, the URL's name
    with its namespace (the view's dotted path for an unnamed URL), or
    UNRESOLVED."""
    if request.path_info in probes:
        return probes[request.path_info]
    match = request.resolver_match
    return UNRESOLVED if match is None else match.view_name


class MetricsMiddleware:
    """Count and time every request, the health probes and /metrics included:
    those are labelled health-live, health-ready and health-metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        # Imported here: the probes' views import this module.
        from .middleware import HealthProbeMiddleware

        self.get_response = get_response
        self.probes = {
            path: f"health-{view.__name__}"
            for path, view in HealthProbeMiddleware.PROBES.items()
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        labels = (
            view_name(request, self.probes),
            method,
            str(response.status_code),
        )
        REQUESTS.labels(*labels).inc()
        LATENCY.labels(*labels).observe(time.perf_counter() - start)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, (OperationalError, InterfaceError)):
            DATABASE_ERRORS.inc()


def allowed(request: HttpRequest) -> bool:
    """Whether the client may read the metrics: from a trusted network, or
    with the bearer token (compared in constant time)."""
    token = str(settings.METRICS_TOKEN)
    scheme, _, sent = str(request.META.get("HTTP_AUTHORIZATION", "")).partition(" ")
    if (
        token
        and scheme.lower() == "bearer"
        and hmac.compare_digest(sent.strip().encode(), token.encode())
    ):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    trusted = networks(tuple(settings.TRUSTED_PROXIES))
    return any(address in network for network in trusted)


def registry() -> CollectorRegistry:
    """Every worker's samples under gunicorn, else this process's own."""
    directory = os.environ.get(DIRECTORY)
    if not directory:
        return REGISTRY
    collected = CollectorRegistry()
    MultiProcessCollector(collected, path=directory)
    return collected


def serve(
    request: HttpRequest, readiness: Callable[[], dict[str, str]]
) -> HttpResponse:
    """The metrics, after the readiness checks have set their gauges."""
    if not allowed(request) or request.method not in ("GET", "HEAD"):
        return HttpResponseNotFound()
    for name, result in readiness().items():
        READY.labels(name).set(1 if result == "ok" else 0)
    response = HttpResponse(
        generate_latest(registry()), content_type=CONTENT_TYPE_LATEST
    )
    response["Cache-Control"] = "no-store"
    return response
