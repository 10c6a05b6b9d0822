"""Health endpoints for load balancers and orchestrators.

``live`` answers as long as the process can serve a request and touches no
dependency, so a database outage never gets healthy web workers restarted.
``ready`` runs every check in readiness.CHECKS at once and answers 503, naming
the failing part, when one is down or has not answered within READY_BUDGET,
so traffic is routed elsewhere.
"""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import metrics as prometheus
from .readiness import CHECKS

logger = logging.getLogger(__name__)

# Seconds /health/ready/ may take in all, below the 1-second default timeout
# of Kubernetes' probes. A check that has not ended by then counts as failed.
READY_BUDGET = 0.7


class Probe:
    """Runs one check in a thread of its own, so that a check stuck on a dead
    socket cannot hold the probe's answer. While a run is still going, later
    probes wait on that same run rather than starting more threads. A check
    that is not ``threaded`` runs in the request's thread."""

    def __init__(self, check: Callable[[], None], *, threaded: bool = True) -> None:
        self.check = check
        self.threaded = threaded
        self._lock = threading.Lock()
        self._run: Future[None] | None = None

    def start(self) -> Future[None]:
        if not self.threaded:
            run: Future[None] = Future()
            self._go(run)
            return run
        with self._lock:
            if self._run is None or self._run.done():
                self._run = Future()
                # A daemon thread: a stuck check never delays a worker's exit.
                threading.Thread(
                    target=self._go, args=(self._run,), daemon=True
                ).start()
            return self._run

    def _go(self, run: Future[None]) -> None:
        try:
            self.check()
        except Exception as error:
            run.set_exception(error)
        else:
            run.set_result(None)


# With a pool, the database is PostgreSQL and the cache Redis (production):
# their checks run in threads. Without one (development and tests), SQLite and
# the local-memory cache have no network to wait on, and both are per thread.
THREADED = bool(settings.DATABASES["default"].get("OPTIONS", {}).get("pool"))
PROBES = {name: Probe(check, threaded=THREADED) for name, check in CHECKS.items()}


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readiness() -> dict[str, str]:
    """Each check's result, "ok" or "error", within READY_BUDGET in all."""
    deadline = time.monotonic() + READY_BUDGET
    runs = {name: probe.start() for name, probe in PROBES.items()}
    results: dict[str, str] = {}
    for name, run in runs.items():
        try:
            run.result(timeout=max(0.0, deadline - time.monotonic()))
        except Exception:
            # Details go to the log, never to an unauthenticated client. A
            # warning, not an error: an outage is alerted on from the probes,
            # and must not reach the error tracker once per probe.
            logger.warning("Readiness check %r failed", name, exc_info=True)
            results[name] = "error"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    results = readiness()
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for trusted networks and the token only (metrics.py)."""
    return prometheus.serve(request, readiness)
