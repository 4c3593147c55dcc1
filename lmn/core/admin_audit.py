"""A read-only ModelAdmin for patient data that audits every view of it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from lmn.core.actor import Actor, Role


def admin_actor(request: HttpRequest) -> Actor:
    user: Any = request.user
    return Actor(role=Role.ADMIN, hsa_id=user.hsa_id or f"user:{user.pk}", user=user)


class AuditedPatientDataAdmin(admin.ModelAdmin):
    """Patient data in the admin: read-only, protected identities left out, reads audited.

    `patient_path` names the lookup from the model to its Patient ("" for Patient).
    """

    patient_path = ""

    def _patient_field(self, name: str) -> str:
        return f"{self.patient_path}__{name}" if self.patient_path else name

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # the admin is no unit: protected identities never show here (SKYDD-1)
        return super().get_queryset(request).filter(**{self._patient_field("protected"): False})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        from lmn.audit.services import record

        record(f"admin.{self.model._meta.model_name}.listed", actor=admin_actor(request))
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        from lmn.audit.services import record

        obj = self.get_object(request, object_id)
        patient = None
        if obj is not None:
            patient = obj
            for part in filter(None, self.patient_path.split("__")):
                patient = getattr(patient, part)
        record(
            f"admin.{self.model._meta.model_name}.read",
            actor=admin_actor(request),
            patient=patient,
            obj=obj,
            outcome="ok" if obj else "not_found",
        )
        return super().change_view(request, object_id, form_url, extra_context)
