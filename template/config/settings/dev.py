"""Local development: debug on, SQLite and local memory unless .env says otherwise."""

from config.env import load
from config.logging import logging_config
from config.services import caches, database

from .base import *  # noqa: F401,F403

ENV = load("dev")

DEBUG = True
SECRET_KEY = ENV["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ENV["DJANGO_ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = ENV["DJANGO_CSRF_TRUSTED_ORIGINS"]
ADMIN_URL = ENV["DJANGO_ADMIN_URL"]

DATABASES = {"default": database(ENV, pooled=False)}
CACHES = caches(ENV)

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LOGGING = logging_config(ENV["DJANGO_LOG_LEVEL"], json=False)
# django-axes announces itself at INFO on every start, so on every manage.py
# command here; production's JSON logs keep the line.
LOGGING["loggers"]["axes.apps"] = {"level": "WARNING"}
