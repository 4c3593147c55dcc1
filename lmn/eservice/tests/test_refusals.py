"""Who has no e-service, and ids changed in URLs: refused, and nothing leaks (EPAT-1)."""

from __future__ import annotations

import pytest
from django.test import Client

from lmn.core.errors import NotFound
from lmn.delivery.details import DeliveryRequest
from lmn.patients.models import IdentityKind
from lmn.representation.queries import actor_for
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

from .conftest import log_in

pytestmark = pytest.mark.django_db

NEUTRAL = "Du kan inte använda e-tjänsten för läkemedelsnära produkter"


def _other_patients_order(world: World) -> str:
    other = f.make_patient(f.PERSONNUMMER[1], first_name="Annan", last_name="Hemligsson")
    rx = f.make_prescription(
        patient=other, product=world.diabetes_product, prescriber=world.prescriber, unit=world.unit
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(patient=other, lines=[LineDraft(rx.pk, 5)], delivery=DeliveryRequest()),
        actor=world.actor(world.prescriber),
    )
    return w.number


@pytest.mark.rule("EPAT-1")
@pytest.mark.parametrize("kind", ["protected", "register_protected", "lma", "ut"])
def test_who_has_no_e_service_is_refused_with_one_neutral_message(world: World, kind: str) -> None:
    identifier = f.PERSONNUMMER[4]
    if kind == "protected":
        f.make_patient(identifier, protected=True, protected_unit=world.unit)
    elif kind == "register_protected":
        f.register_person(identifier, protected=True)
    else:
        kinds = {"lma": IdentityKind.LMA, "ut": IdentityKind.UT}
        f.make_patient(identifier, identity_kind=kinds[kind])
    client = Client()
    client.post("/e-tjanst/", {"identifier": identifier})
    response = client.get("/e-tjanst/valj/")
    assert response.status_code == 403
    text = response.content.decode()
    assert NEUTRAL in text and "Tolvansson" not in text and "skydd" not in text.lower()
    assert client.get("/e-tjanst/produkter/").status_code == 302  # nothing to see


@pytest.mark.rule("EPAT-1")
def test_a_patient_who_becomes_protected_while_logged_in_sees_nothing_more(
    es_world: World,
) -> None:
    client = log_in(es_world.patient.identifier)
    assert client.get("/e-tjanst/produkter/").status_code == 200
    es_world.patient.protected = True
    es_world.patient.protected_unit = es_world.unit
    es_world.patient.save()
    response = client.get("/e-tjanst/produkter/")
    assert response.status_code == 302 and response["Location"] == "/e-tjanst/valj/"
    refused = client.get("/e-tjanst/valj/")
    assert refused.status_code == 403 and NEUTRAL in refused.content.decode()
    assert "Testremsor" not in refused.content.decode()


@pytest.mark.rule("EPAT-1")
def test_another_patients_order_by_number_answers_like_a_missing_one(es_world: World) -> None:
    number = _other_patients_order(es_world)
    client = log_in(es_world.patient.identifier)
    other = client.get(f"/e-tjanst/bestallningar/{number}/")
    missing = client.get("/e-tjanst/bestallningar/U99999999/")
    assert other.status_code == missing.status_code == 404
    assert "Hemligsson" not in other.content.decode()
    assert client.post(f"/e-tjanst/bestallningar/{number}/makulera/").status_code == 404


@pytest.mark.rule("EPAT-1")
def test_choosing_or_ordering_for_someone_else_is_refused(es_world: World) -> None:
    _other_patients_order(es_world)
    from lmn.patients.models import Patient

    other = Patient.objects.get(last_name="Hemligsson")
    client = log_in(es_world.patient.identifier)
    client.post("/e-tjanst/valj/", {"patient": other.pk})  # an id changed in the form
    assert "Hemligsson" not in client.get("/e-tjanst/produkter/").content.decode()
    with pytest.raises(NotFound):
        actor_for(es_world.patient.identifier, other.pk)
    actor = actor_for(es_world.patient.identifier, es_world.patient.pk)
    rx = other.prescriptions.get()
    with pytest.raises(NotFound):  # the service refuses too, whatever the adapter sends
        place_withdrawal(WithdrawalDraft(patient=other, lines=[LineDraft(rx.pk, 1)]), actor=actor)


def test_staff_session_is_not_an_e_service_login(es_world: World) -> None:
    client = Client()
    client.force_login(es_world.prescriber)
    assert client.get("/e-tjanst/produkter/").status_code == 403
    assert Client().get("/e-tjanst/produkter/").status_code == 302  # to the login


def test_an_idle_session_logs_out(es_world: World) -> None:
    import time

    import time_machine

    client = log_in(es_world.patient.identifier)
    assert client.get("/e-tjanst/produkter/").status_code == 200
    with time_machine.travel(time.time() + 3 * 3600):
        response = client.get("/e-tjanst/produkter/")
    assert response.status_code == 302 and response["Location"].startswith("/e-tjanst/")
    assert client.get("/e-tjanst/produkter/").status_code == 302  # the session is gone
