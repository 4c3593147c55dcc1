"""The admin shows patient data read-only, audits each view, and never shows protected ones."""

from __future__ import annotations

from django.test import Client

from lmn.audit.models import AuditEvent
from lmn.testing import factories as f
from lmn.testing.types import World


def test_admin_views_of_patients_are_audited_and_protected_ones_are_absent(
    world: World, client: Client
) -> None:
    admin = f.make_user("admin1", role="lmnadmin", unit=None)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    hidden = f.make_patient(f.PERSONNUMMER[5], protected=True, protected_unit=world.unit)
    client.force_login(admin)

    page = client.get("/admin/patients/patient/")
    assert page.status_code == 200
    assert f"/admin/patients/patient/{world.patient.pk}/" in page.text
    assert f"/admin/patients/patient/{hidden.pk}/" not in page.text

    detail = client.get(f"/admin/patients/patient/{world.patient.pk}/change/")
    assert detail.status_code == 200
    event = AuditEvent.objects.get(action="admin.patient.read")
    assert (event.patient_id, event.actor_hsa_id) == (world.patient.pk, admin.hsa_id)
    assert client.get(f"/admin/patients/patient/{hidden.pk}/change/").status_code in (302, 404)
    assert AuditEvent.objects.filter(action="admin.patient.listed").count() == 1
