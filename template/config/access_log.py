"""Gunicorn's logger: its error and access logs as JSON lines, like the site's.

`logger_class` in gunicorn.conf.py names it.
"""

from typing import Any

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

from config.logging import JSON_FIELDS, JSON_RENAMES


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
