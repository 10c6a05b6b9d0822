"""Health endpoints for load balancers and orchestrators.

``live`` answers as long as the process can serve a request and touches no
dependency, so a database outage never gets healthy web workers restarted.
``ready`` runs every check in readiness.CHECKS and answers 503, naming the
failing part, when one is down, so traffic is routed elsewhere.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .readiness import CHECKS

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            # Details go to the log, never to an unauthenticated client. A
            # warning, not an error: an outage is alerted on from the probes,
            # and must not reach the error tracker once per probe.
            logger.warning("Readiness check %r failed", name, exc_info=True)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
