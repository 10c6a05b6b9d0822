"""The LOGGING setting: one line per event, JSON in production, each with its
request id (config/request_id.py).
"""

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from config.request_id import REQUEST_ID_META, request_id

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
