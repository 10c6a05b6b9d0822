import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler

ROOT = Path(__file__).resolve().parent.parent


def test_wsgi_and_asgi_applications_load() -> None:
    from config import asgi, wsgi

    assert isinstance(wsgi.application, WSGIHandler)
    assert isinstance(asgi.application, ASGIHandler)


# Each way the project starts, as its process runs it; the Celery worker and
# beat when the project has Celery.
ENTRY_POINTS = {
    "manage.py": [sys.executable, "manage.py", "check"],
    "wsgi": [sys.executable, "-c", "import config.wsgi"],
    "asgi": [sys.executable, "-c", "import config.asgi"],
    "gunicorn": [sys.executable, "-m", "config.serve", "--check-config"],
}
if (ROOT / "config" / "celery").is_dir():
    for command in ("worker", "beat"):
        ENTRY_POINTS[f"celery {command}"] = [
            sys.executable, "-m", "celery", "--app", "config.celery", command,
        ]  # fmt: skip


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_every_entry_point_reports_a_bad_environment_without_a_traceback(
    entry_point: str,
) -> None:
    secret = "short-secret-never-echoed"
    result = subprocess.run(
        ENTRY_POINTS[entry_point],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secret,
            "WEB_CONCURRENCY": "",
            "PATH": "",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert re.search(r"Configuration error: \d+ environment variables", output)
    assert "  - DJANGO_SECRET_KEY: " in output
    assert "Traceback" not in output
    assert secret not in output
