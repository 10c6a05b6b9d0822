import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler

ROOT = Path(__file__).resolve().parent.parent


def test_wsgi_and_asgi_applications_load() -> None:
    from config import asgi, wsgi

    assert isinstance(wsgi.application, WSGIHandler)
    assert isinstance(asgi.application, ASGIHandler)


# Each way the project starts, as its process runs it.
ENTRY_POINTS = {
    "manage.py": [sys.executable, "manage.py", "check"],
    "wsgi": [sys.executable, "-c", "import config.wsgi"],
    "asgi": [sys.executable, "-c", "import config.asgi"],
    "gunicorn": [sys.executable, "-m", "config.serve", "--check-config"],
}


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_every_entry_point_reports_a_bad_environment_without_a_traceback(
    reports_a_bad_environment: Callable[[list[str]], None], entry_point: str
) -> None:
    reports_a_bad_environment(ENTRY_POINTS[entry_point])
