"""JSON logs with request ids, and gunicorn's JSON access log."""

import contextlib
import io
import json
import logging
import logging.config
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest

from config.access_log import GunicornLogger
from config.logging import logging_config
from config.request_id import REQUEST_ID_META, request_id


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Apply a LOGGING dict for one test, with its handler writing to a buffer."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield stream
    root.handlers, root.level = saved[0], saved[1]


def apply(config: dict[str, object], stream: io.StringIO) -> None:
    logging.config.dictConfig(config)
    logging.getLogger().handlers[0].setStream(stream)  # type: ignore[attr-defined]


def test_production_logs_are_json_lines_with_the_request_id(
    captured: io.StringIO,
) -> None:
    apply(logging_config(logging.INFO, json=True), captured)
    token = request_id.set("req-12345678")
    try:
        logging.getLogger("app").info("order %s shipped", 42)
    finally:
        request_id.reset(token)
    logging.getLogger("app").debug("not at INFO")
    lines = captured.getvalue().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["message"] == "order 42 shipped"
    assert record["request_id"] == "req-12345678"
    assert record["level"] == "INFO"
    assert record["logger"] == "app"
    assert "time" in record


def test_a_request_id_passed_explicitly_is_kept(captured: io.StringIO) -> None:
    apply(logging_config(logging.INFO, json=True), captured)
    logging.getLogger("app").info("hi", extra={"request_id": "from-proxy-1"})
    assert json.loads(captured.getvalue())["request_id"] == "from-proxy-1"


def test_django_request_records_get_the_id_of_their_request(
    captured: io.StringIO,
) -> None:
    # Django logs a failed request after the middleware has returned.
    apply(logging_config(logging.INFO, json=True), captured)
    request = SimpleNamespace(META={REQUEST_ID_META: "late-record-1"})
    logging.getLogger("django.request").warning("Not Found", extra={"request": request})
    record = json.loads(captured.getvalue())
    assert record["request_id"] == "late-record-1"


def test_django_records_are_printed_once(captured: io.StringIO) -> None:
    apply(logging_config(logging.INFO, json=False), captured)
    logging.getLogger("django.request").warning("Not Found: /nope")
    assert captured.getvalue() == "WARNING django.request [-] Not Found: /nope\n"


def test_development_logs_are_text_with_the_request_id(captured: io.StringIO) -> None:
    apply(logging_config(logging.DEBUG, json=False), captured)
    logging.getLogger("app").debug("hello")
    assert captured.getvalue() == "DEBUG app [-] hello\n"


def gunicorn_logger(accesslog: str | None) -> GunicornLogger:
    config = mock.MagicMock()
    config.accesslog = accesslog
    config.errorlog = "-"
    config.loglevel = "info"
    config.syslog = False
    config.logconfig = config.logconfig_dict = config.logconfig_json = None
    config.capture_output = False
    config.disable_redirect_access_to_syslog = False
    return GunicornLogger(config)


def test_gunicorn_writes_one_json_access_line_per_request() -> None:
    stream = io.StringIO()
    # Gunicorn's access log writes to the sys.stdout it finds when set up.
    with contextlib.redirect_stdout(stream):
        logger = gunicorn_logger("-")
    response = SimpleNamespace(
        headers=[("Content-Type", "text/html"), ("X-Request-ID", "abcdef123456")],
        status_code=200,
        sent=512,
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": '/odd "path"/',
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_REAL_IP": "203.0.113.9",
    }
    logger.access(response, None, environ, timedelta(milliseconds=12.34))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["request_id"] == "abcdef123456"
    assert record["path"] == '/odd "path"/'
    assert record["status"] == 200
    assert record["client"] == "203.0.113.9"
    assert record["duration_ms"] == 12.3


def test_gunicorn_access_log_can_be_switched_off() -> None:
    logger = gunicorn_logger(None)
    with mock.patch.object(logger.access_log, "info") as info:
        logger.access(SimpleNamespace(headers=[]), None, {}, timedelta(0))
    info.assert_not_called()
