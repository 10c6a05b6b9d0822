"""URL configuration: the admin under ADMIN_URL.

The health endpoints are answered by core.middleware.HealthProbeMiddleware,
before host validation and the HTTPS redirect.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
]
