"""The API alone, mounted where lmn.config.urls mounts it.

API tests use this URLconf so that they do not depend on the web portal's routes
(another adapter, changing on its own schedule).
"""

from __future__ import annotations

from django.urls import path

from lmn.api.urls import api

urlpatterns = [path("api/v1/", api.urls)]
