import re
import subprocess
import sys
from pathlib import Path

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler

ROOT = Path(__file__).resolve().parent.parent


def test_wsgi_and_asgi_applications_load() -> None:
    from config import asgi, wsgi

    assert isinstance(wsgi.application, WSGIHandler)
    assert isinstance(asgi.application, ASGIHandler)


def test_manage_py_reports_a_bad_environment_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert re.match(r"Configuration error: \d+ environment variables", result.stderr)
    assert "Traceback" not in result.stderr
