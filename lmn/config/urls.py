from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from lmn.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("lmn.web.urls")),
]
# a body over the upload limits answers 413 (see lmn.web.refusals)
handler400 = "lmn.web.refusals.bad_request"
handler404 = "lmn.web.handlers.page_not_found"  # the API's shape under /api/, else Swedish

if settings.OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
