"""Request ids for the logs."""

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from config.request_id import REQUEST_ID_META, request_id

HEADER = "X-Request-ID"
# Ids taken from the proxy are logged, so only accept a short, safe alphabet.
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Use the proxy's X-Request-ID when it is well-formed, else make one up.

    The id is stored for the log filter (config.logging) while the request is
    served, and sent back in the response's X-Request-ID header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        current = incoming if VALID_ID.match(incoming) else uuid.uuid4().hex
        request.META[REQUEST_ID_META] = current
        token = request_id.set(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = current
        return response
