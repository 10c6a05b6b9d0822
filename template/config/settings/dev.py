"""Local development: debug on, SQLite and local memory unless .env says otherwise."""

from config.backends import caches, database
from config.env import load
from config.logging import logging_config

from .base import *  # noqa: F401,F403

ENV = load("dev")

DEBUG = True
SECRET_KEY = ENV.secret_key
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins
ADMIN_URL = ENV.admin_url

DATABASES = {"default": database(ENV, pooled=False)}
CACHES = caches(ENV)

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LOGGING = logging_config(ENV.log_level, json=False)
# django-axes announces itself at INFO on every start, so on every manage.py
# command here; production's JSON logs keep the line.
LOGGING["loggers"]["axes.apps"] = {"level": "WARNING"}
