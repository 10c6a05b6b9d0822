"""Error reports show no secret, whether named as one or inside a URL."""

import os
import subprocess
import sys

from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.views.debug import technical_500_response

from config.env import production_sample

# The error report of a fresh process under the production settings; its
# source names no secret, so the page can only show one through the settings.
REPORT = """
import sys
import django
django.setup()
from django.test import RequestFactory
from django.views.debug import technical_500_response
try:
    raise RuntimeError("boom")
except RuntimeError:
    report = technical_500_response(RequestFactory().get("/"), *sys.exc_info())
sys.stdout.write(report.content.decode())
"""
# A host's variables, each with a password that must not show.
SECRETS = {
    "DATABASE_URL": "postgres://app:db-pass-c0de@db.internal:5432/app",
    "REDIS_URL": "redis://:redis-pass-7f3a@cache.internal:6379/0",
    "EMAIL_URL": "submission://mailer:mail-pass-55aa@smtp.example.com",
    "EMAIL_API_KEY": "mail-key-0b5e-9d2c-41aa",
}
PASSWORDS = ("db-pass-c0de", "redis-pass-7f3a", "mail-pass-55aa", "0b5e-9d2c-41aa")


def test_production_error_reports_show_no_password() -> None:
    env = {
        **os.environ,
        **production_sample(),
        **SECRETS,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    result = subprocess.run(
        [sys.executable, "-c", REPORT],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert "cache.internal:6379" in page
    for password in PASSWORDS:
        assert password not in page


def fail() -> None:
    raise RuntimeError("boom")


@override_settings(DEBUG=True, REDIS_URL=SECRETS["REDIS_URL"])
def test_urls_on_the_debug_page_keep_their_host_and_lose_their_credentials() -> None:
    try:
        fail()
    except RuntimeError:
        response: HttpResponse = technical_500_response(
            RequestFactory().get("/"), *sys.exc_info()
        )
    page = response.content.decode()
    assert "redis://********************@cache.internal:6379/0" in page
    assert "redis-pass-7f3a" not in page
