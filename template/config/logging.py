"""Logging: one line per event, JSON in production, each with its request id.

The request id comes from the X-Request-ID header that nginx sets, or is made
up when there is none (see RequestIdMiddleware), so the nginx log, gunicorn's
access log and the application's log lines of one request can be matched up.
"""

import logging
from contextvars import ContextVar
from typing import Any

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

# The id of the request being served by this thread or task; "-" outside one.
request_id: ContextVar[str] = ContextVar("request_id", default="-")
# Where RequestIdMiddleware also keeps the id: Django logs a failed request
# after the middleware has returned, from a record that carries the request.
REQUEST_ID_META = "keel.request_id"

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_RENAMES = {"asctime": "time", "levelname": "level", "name": "logger"}


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the current request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            meta = getattr(getattr(record, "request", None), "META", {})
            record.request_id = meta.get(REQUEST_ID_META) or request_id.get()
        return True


def logging_config(level: int, *, json: bool) -> dict[str, Any]:
    """The LOGGING setting: every record to stderr, at ``level`` and above."""
    if json:
        formatter = {
            "()": JsonFormatter,
            "fmt": f"{JSON_FIELDS} %(request_id)s",
            "rename_fields": JSON_RENAMES,
        }
    else:
        formatter = {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # Django's own console handler would print its records a second time.
        "loggers": {"django": {"handlers": [], "level": level, "propagate": True}},
    }


class GunicornLogger(Logger):  # type: ignore[misc]  # gunicorn has no type hints
    """Gunicorn's logger, writing its error and access logs as JSON lines.

    Gunicorn fills a printf-style template for access lines, which cannot
    produce valid JSON for every path; here the fields go to the formatter.
    """

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        formatter = JsonFormatter(JSON_FIELDS, rename_fields=JSON_RENAMES)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> None:
        if not self.cfg.accesslog:
            return
        headers = {name.lower(): value for name, value in resp.headers}
        self.access_log.info(
            "request",
            extra={
                "request_id": headers.get("x-request-id", "-"),
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "status": resp.status_code,
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "client": environ.get("HTTP_X_REAL_IP") or environ.get("REMOTE_ADDR"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
            },
        )
