"""Production: every secret and address comes from the environment.

Start-up fails with one error listing every missing or invalid variable
(see config.env). `python manage.py check --deploy --fail-level WARNING`
passes with these settings.

https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/
"""

from config.backends import caches, database
from config.env import load
from config.logging import logging_config
from config.sentry import init_sentry

from .base import *  # noqa: F401,F403

ENV = load("production")

DEBUG = False
SECRET_KEY = ENV.secret_key
# Previous keys still accepted for signatures, while a rotation is under way.
SECRET_KEY_FALLBACKS = ENV.secret_key_fallbacks
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins
ADMIN_URL = ENV.admin_url

DATABASES = {"default": database(ENV, pooled=True)}
CACHES = caches(ENV)

# Sessions are read from the cache and written through to the database, so a
# Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# HTTPS
# https://docs.djangoproject.com/en/6.1/ref/middleware/#http-strict-transport-security
# TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Probes speak plain HTTP; HealthProbeMiddleware answers them before this.
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = ENV.hsts_preload
if not SECURE_HSTS_PRELOAD:
    # Preloading is hard to undo, so it is opt-in (DJANGO_HSTS_PRELOAD).
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Cookies: the __Host- prefix makes browsers insist on Secure, Path=/ and no
# Domain, so a sibling subdomain cannot overwrite them.
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True

LOGGING = logging_config(ENV.log_level, json=True)

init_sentry(ENV)
