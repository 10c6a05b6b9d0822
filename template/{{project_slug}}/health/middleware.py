"""Health probes answered before host checks and the HTTPS redirect."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import views


class HealthProbeMiddleware:
    """Answer the probes and /metrics before the rest of the stack.

    Load balancers, orchestrators and container health checks probe over
    plain HTTP, often with an IP address as the Host header, and so does
    Prometheus. Answering here, before ALLOWED_HOSTS validation and the HTTPS
    redirect, keeps both strict for every other URL.
    """

    PROBES = {
        "/health/live/": views.live,
        "/health/ready/": views.ready,
        "/metrics": views.metrics,
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)
