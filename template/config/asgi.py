"""ASGI entry point, for an ASGI server such as uvicorn or daphne."""

import os

from django.core.asgi import get_asgi_application

from config.variables import exit_on_invalid_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

with exit_on_invalid_environment():
    application = get_asgi_application()
