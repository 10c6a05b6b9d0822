"""Tests: fast hashing, in-memory email; SQLite unless DATABASE_URL is set (CI)."""

from config.env import load
from config.services import caches, database

from .base import *  # noqa: F401,F403

_env = load("test")

DEBUG = False
SECRET_KEY = _env["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["testserver", *_env["DJANGO_ALLOWED_HOSTS"]]
TRUSTED_PROXIES = _env["DJANGO_TRUSTED_PROXIES"]
METRICS_TOKEN = _env["DJANGO_METRICS_TOKEN"]
SECURITY_CONTACT = _env["DJANGO_SECURITY_CONTACT"]

DATABASES = {"default": database(_env, pooled=False)}
CACHES = caches(_env)
REDIS_URL = _env["REDIS_URL"]

# Tests run without collectstatic: let WhiteNoise look files up on demand.
WHITENOISE_AUTOREFRESH = True

# Hashing strength is irrelevant in tests and Argon2 would slow every login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
