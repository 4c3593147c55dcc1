from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from lmn.api import urls as api_urls
from lmn.core.authorization import RoutePolicy
from lmn.eservice import urls as eservice_urls
from lmn.fhir import routing as fhir_routing
from lmn.fhir import urls as fhir_urls
from lmn.web import urls as web_urls

urlpatterns = [
    path(api_urls.MOUNT, api_urls.api.urls),
    path("fhir/r4/", include(fhir_urls)),  # HL7 FHIR R4 for journal systems (lmn.fhir)
    path("admin/", admin.site.urls),
    path(eservice_urls.MOUNT, include("lmn.eservice.urls")),
    path("", include("lmn.web.urls")),
]
# a body over the upload limits answers 413 (see lmn.web.refusals)
handler400 = "lmn.web.refusals.bad_request"
handler404 = "lmn.web.handlers.page_not_found"  # the API's shape under /api/, else Swedish

if settings.OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

# The Django admin has its own staff check (is_staff) and audits patient data itself.
UNLISTED_PREFIXES = ("admin/",)


def route_policies() -> dict[str, RoutePolicy]:
    """Every route of the portal, the API, FHIR and the e-service with its declared policy
    (for the tests)."""
    return {
        **web_urls.POLICIES,
        **api_urls.POLICIES,
        **fhir_routing.POLICIES,
        **eservice_urls.POLICIES,
    }
