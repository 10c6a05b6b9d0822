from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("security/", views.security, name="security"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
]
