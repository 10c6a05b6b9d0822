"""The id of the request being served, shared by the middleware and the logs.

It comes from the X-Request-ID header that nginx sets, or is made up when
there is none (core.request_id.RequestIdMiddleware), so the nginx log,
gunicorn's access log and the application's log lines of one request can be
matched up.
"""

from contextvars import ContextVar

# The id of the request being served by this thread or task; "-" outside one.
request_id: ContextVar[str] = ContextVar("request_id", default="-")
# Where RequestIdMiddleware also keeps the id: Django logs a failed request
# after the middleware has returned, from a record that carries the request.
REQUEST_ID_META = "request_id"
