"""Our audit trail for the Django admin: every change any ModelAdmin makes, and every view
of patient data, lands in lmn.audit in the transaction of the change.

Django's own admin log (LogEntry) is editable and outside the hash chains, so it cannot
stand as the audit trail. `AuditedAdminSite` mixes `AuditedAdminMixin` into every
ModelAdmin registered on it, ours and third-party ones (auth's groups, axes) alike, so no
admin can be added that escapes the trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from lmn.core.actor import Actor, Role

from .services import Shown, record, record_many


def admin_actor(request: HttpRequest) -> Actor:
    user: Any = request.user
    return Actor(role=Role.ADMIN, hsa_id=user.hsa_id or f"user:{user.pk}", user=user)


def _changed_fields(message: Any) -> list[str]:
    """The names of the fields a change touched (Django's change message), never values:
    values may be personal data or secrets."""
    names: list[str] = []
    for part in message if isinstance(message, list) else []:
        for detail in part.values() if isinstance(part, dict) else []:
            if isinstance(detail, dict):
                names.extend(str(n) for n in detail.get("fields", []))
                if "name" in detail:
                    names.append(f"{detail['name']}:{detail.get('object', '')}"[:80])
    return names


class AuditedAdminMixin:
    """Writes our audit event wherever Django writes its admin log: additions, changes
    (inlines included), deletions one by one and by the bulk delete action.

    Django calls the log_* hooks inside the transaction of the change (changeform_view and
    delete_view are atomic); actions are made atomic here, so a bulk delete and its audit
    events commit together or not at all.
    """

    model: type[models.Model]

    def _audit(self, request: HttpRequest, verb: str, objs: Iterable[Any], data: Any) -> None:
        record_many(
            f"admin.{self.model._meta.label_lower}.{verb}",
            [Shown(obj=obj, data=data) for obj in objs],
            actor=admin_actor(request),
            channel="admin",
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        self._audit(request, "added", [obj], {"fields": _changed_fields(message)})
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        self._audit(request, "changed", [obj], {"fields": _changed_fields(message)})
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        objs = list(queryset)
        entries = super().log_deletions(request, objs)  # type: ignore[misc]
        self._audit(request, "deleted", objs, {})
        return entries

    def response_action(
        self, request: HttpRequest, queryset: QuerySet[Any], *args: Any, **kwargs: Any
    ) -> HttpResponse | None:
        with transaction.atomic(using=router.db_for_write(self.model)):
            response: HttpResponse | None = super().response_action(  # type: ignore[misc]
                request, queryset, *args, **kwargs
            )
            return response


class AuditedAdminSite(admin.AdminSite):
    """The admin site (settings: lmn.audit.admin_apps): every registered admin is audited."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                f"Audited{admin_class.__name__}", (AuditedAdminMixin, admin_class), {}
            )
        super().register(model_or_iterable, admin_class, **options)


class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Shown, never changed here: these rows change only through their services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedPatientDataAdmin(ReadOnlyAdmin):
    """Patient data in the admin: read-only, protected identities left out, reads audited.

    `patient_path` names the lookup from the model to its Patient ("" for Patient).
    """

    patient_path = ""

    def _patient_field(self, name: str) -> str:
        return f"{self.patient_path}__{name}" if self.patient_path else name

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # the admin is no unit: protected identities never show here (SKYDD-1)
        return super().get_queryset(request).filter(**{self._patient_field("protected"): False})

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        record(f"admin.{self.model._meta.model_name}.listed", actor=admin_actor(request))
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
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
