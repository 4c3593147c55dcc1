from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from lmn.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("lmn.web.urls")),
]
