"""WSGI entry point, for gunicorn: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from config.variables import exit_on_invalid_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

with exit_on_invalid_environment():
    application = get_wsgi_application()
