"""Tests: fast hashing, in-memory email; SQLite unless DATABASE_URL is set (CI)."""

from config.env import load
from config.services import caches, database

from .base import *  # noqa: F401,F403

ENV = load("test")

DEBUG = False
SECRET_KEY = ENV["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["testserver", *ENV["DJANGO_ALLOWED_HOSTS"]]

DATABASES = {"default": database(ENV, pooled=False)}
CACHES = caches(ENV)

# Tests run without collectstatic: let WhiteNoise look files up on demand.
WHITENOISE_AUTOREFRESH = True

# Hashing strength is irrelevant in tests and Argon2 would slow every login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
