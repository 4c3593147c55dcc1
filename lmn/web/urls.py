from __future__ import annotations

from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("logga-in/", views.login_view, name="login"),
]
