"""Local development: debug on, SQLite and local memory unless .env says otherwise."""

from config.env import load
from config.logging import logging_config
from config.services import caches, database

from .base import *  # noqa: F401,F403

_env = load("dev")

DEBUG = True
SECRET_KEY = _env["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = _env["DJANGO_ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = _env["DJANGO_CSRF_TRUSTED_ORIGINS"]
ADMIN_URL = _env["DJANGO_ADMIN_URL"]
TRUSTED_PROXIES = _env["DJANGO_TRUSTED_PROXIES"]
METRICS_TOKEN = _env["DJANGO_METRICS_TOKEN"]
ACCOUNT_SIGNUP_OPEN = _env["DJANGO_ACCOUNT_SIGNUP_OPEN"]
SESSION_IDLE_TIMEOUT = _env["DJANGO_SESSION_IDLE_TIMEOUT"]
SESSION_COOKIE_AGE = _env["DJANGO_SESSION_LIFETIME"]
SECURITY_CONTACT = _env["DJANGO_SECURITY_CONTACT"]

DATABASES = {"default": database(_env, pooled=False)}
CACHES = caches(_env)
REDIS_URL = _env["REDIS_URL"]

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LOGGING = logging_config(_env["DJANGO_LOG_LEVEL"], json=False)
# django-axes announces itself at INFO on every start, so on every manage.py
# command here; production's JSON logs keep the line.
LOGGING["loggers"]["axes.apps"] = {"level": "WARNING"}
