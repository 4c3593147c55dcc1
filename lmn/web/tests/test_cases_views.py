"""Django-client tests of the case pages, the back office and the special-identity
searches (issue 4): wrong role 403, another unit or a protected patient 404, bad input
answered in Swedish on the fields with nothing created."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.accounts.models import User
from lmn.cases.followups import flag_out_of_assortment_deliveries
from lmn.cases.models import Case, ContactLog, FollowUp
from lmn.cases.services import approve_case, return_case
from lmn.core import clock
from lmn.core.actor import Role
from lmn.notifications.services import send_pending
from lmn.patients.models import Patient
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal


def _person(identifier: str, **values: Any) -> Patient:
    base = {
        "first_name": "Amina",
        "last_name": "Yusuf",
        "street": "",
        "postcode": "",
        "city": "",
        "resident_region": "VG",
    }
    return Patient.objects.create(identifier=identifier, **{**base, **values})


def _html(response: Any) -> str:
    return response.content.decode()


def verified(*users: Any) -> None:
    """CON-3 sends unverified prescribers to confirm their e-mail first; these tests are
    about other things, so the addresses count as verified today."""
    fields = {f.name for f in User._meta.get_fields()}
    if "email_verified_at" in fields:
        for user in users:
            User.objects.filter(pk=user.pk).update(
                email_verified_at=clock.now(), email_verified_address=user.email
            )


@pytest.fixture
def asylum_unit(world: Any) -> Any:
    return f.make_asylum_unit()


@pytest.fixture
def logged_in(client_for: Any, world: Any) -> Any:
    def login(user: Any) -> Any:
        verified(user)
        return client_for(user)

    return login


def _asylum_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "product": "",
        "consumption_amount": "2",
        "consumption_period": "day",
        "first_name": "Amina",
        "last_name": "Yusuf",
        "birth_date": "19900501",
        "lma_number": "50-008920/4",
        "lma_valid_until": (clock.today() + dt.timedelta(days=200)).strftime("%Y%m%d"),
        "care_cannot_wait": "on",
    }
    data.update(overrides)
    return data


# --- the patient search field ------------------------------------------------------------


@pytest.mark.rule("ASYL-6")
def test_lma_number_in_the_search_field_finds_the_registered_patient(
    logged_in: Any, world: World
) -> None:
    patient = _person(
        "50008920", identity_kind="lma", birth_date=dt.date(1990, 5, 1), first_name="Amina"
    )
    r = logged_in(world.prescriber).post(reverse("web:home"), {"identifier": "50-008920/4"})
    assert r.status_code == 302
    assert r["Location"] == reverse("web:patient", args=[patient.pk])


def test_malformed_lma_or_number_gives_a_swedish_field_error(logged_in: Any, world: World) -> None:
    r = logged_in(world.prescriber).post(reverse("web:home"), {"identifier": "50-0089"})
    assert r.status_code == 200
    assert "nhsuk-error-summary" in _html(r)
    assert "Ange ett personnummer" in _html(r)


@pytest.mark.rule("SKYDD-9")
def test_own_customer_number_lists_protected_withdrawals_number_first(
    logged_in: Any, world: World
) -> None:
    secret = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    w = _protected_withdrawal(world, secret)
    r = logged_in(world.prescriber).post(reverse("web:home"), {"identifier": "602154"})
    html = _html(r)
    assert w.number in html
    assert html.index("Uttagsnummer") < html.index("Produkter")
    assert secret.first_name not in html
    # another unit's number lists nothing, like a unit without such withdrawals
    r = logged_in(world.outsider).post(reverse("web:home"), {"identifier": "602154"})
    assert w.number not in _html(r)
    assert "Inga uttag för personer med skyddade personuppgifter" in _html(r)


@pytest.mark.rule("UT-5")
def test_advanced_search_on_name_and_birth_date(logged_in: Any, world: World) -> None:
    ut = _person(
        "UT0000000001",
        identity_kind="ut",
        first_name="Omar",
        last_name="Haddad - UT",
        birth_date=dt.date(1985, 3, 3),
    )
    client = logged_in(world.prescriber)
    r = client.post(
        reverse("web:advanced_search"), {"name": "Omar Haddad", "birth_date": "19850303"}
    )
    assert reverse("web:patient", args=[ut.pk]) in _html(r)
    r = client.post(reverse("web:advanced_search"), {"name": "Omar", "birth_date": "1985-3-99"})
    assert "Ange datumet som ÅÅÅÅMMDD" in _html(r)
    r = client.post(reverse("web:advanced_search"), {"name": "", "birth_date": ""})
    assert "Ange patientens namn." in _html(r) and "Ange födelsedatum." in _html(r)


def test_advanced_search_never_lists_another_units_protected_patient(
    logged_in: Any, world: World
) -> None:
    f.make_patient(
        f.PERSONNUMMER[1],
        first_name="Eva",
        last_name="Hemlig",
        protected=True,
        protected_unit=world.unit,
    )
    r = logged_in(world.outsider).post(
        reverse("web:advanced_search"), {"name": "Eva Hemlig", "birth_date": "19451224"}
    )
    assert "Hemlig" not in _html(r).split("<main")[1].replace('value="Eva Hemlig"', "")


# --- the prescriber's case forms -----------------------------------------------------------


@pytest.mark.rule("ASYL-3", "CH-1")
def test_prescriber_submits_an_asylum_case(logged_in: Any, world: World, asylum_unit: Any) -> None:
    client = logged_in(world.prescriber)
    r = client.get(reverse("web:new_case", args=["asylum"]))
    assert r.status_code == 200
    assert "LMA-nummer" in _html(r)
    r = client.post(
        reverse("web:new_case", args=["asylum"]),
        _asylum_post(product=world.diabetes_product.article_number),
    )
    case = Case.objects.get()
    assert r["Location"] == reverse("web:case", args=[case.pk])
    assert case.lma_number == "50008920"
    r = client.get(reverse("web:cases"))
    assert case.reference in _html(r) and "Inskickat" in _html(r)


@pytest.mark.rule("ASYL-2", "ASYL-3")
def test_bad_case_input_lands_on_fields_in_swedish_and_creates_nothing(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    client = logged_in(world.prescriber)
    future = (clock.today() + dt.timedelta(days=3)).strftime("%Y%m%d")
    expired = (clock.today() - dt.timedelta(days=3)).strftime("%Y%m%d")
    r = client.post(
        reverse("web:new_case", args=["asylum"]),
        _asylum_post(
            product=world.diabetes_product.article_number,
            birth_date=future,
            lma_number="5-0089",
            lma_valid_until=expired,
        ),
    )
    html = _html(r)
    assert r.status_code == 200
    assert "Födelsedatumet kan inte vara i framtiden." in html
    assert "Ange LMA-numret" in html
    assert f"LMA-kortet gick ut {clock.today() - dt.timedelta(days=3)}" in html
    assert "<title>Fel: " in html
    # an adult without the decision that care cannot wait
    r = client.post(
        reverse("web:new_case", args=["asylum"]),
        _asylum_post(product=world.diabetes_product.article_number, care_cannot_wait=""),
    )
    assert "vård som inte kan anstå" in _html(r)
    assert Case.objects.count() == 0


@pytest.mark.rule("UT-2")
def test_ut_name_without_birth_date_is_refused(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    r = logged_in(world.prescriber).post(
        reverse("web:new_case", args=["without_permit"]),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "1",
            "consumption_period": "day",
            "first_name": "Omar",
            "last_name": "Haddad - UT",
            "birth_date": "",
            "care_cannot_wait": "on",
        },
    )
    assert "nhsuk-error-summary" in _html(r)
    assert "födelsedatum" in _html(r).lower()
    assert Case.objects.count() == 0


@pytest.mark.rule("SKYDD-2")
def test_protected_identity_form_asks_no_patient_details(logged_in: Any, world: World) -> None:
    client = logged_in(world.prescriber)
    html = _html(client.get(reverse("web:new_case", args=["protected_identity"])))
    assert 'name="first_name"' not in html and 'name="birth_date"' not in html
    assert 'name="care_of"' in html
    client.post(
        reverse("web:new_case", args=["protected_identity"]),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "1",
            "consumption_period": "day",
            "care_of": "Sjuksköterska Berg",
        },
    )
    case = Case.objects.get()
    assert (case.first_name, case.birth_date, case.care_of) == ("", None, "Sjuksköterska Berg")


@pytest.mark.rule("OOA-1")
def test_out_of_assortment_needs_a_justification_not_whitespace(
    logged_in: Any, world: World
) -> None:
    ooa = f.make_product("incontinence", name="Specialskydd XL", procured=False, stocked=False)
    url = reverse("web:new_case", args=["out_of_assortment"]) + f"?patient={world.patient.pk}"
    client = logged_in(world.prescriber)
    assert ooa.name in _html(client.get(url))
    data = {
        "patient": world.patient.pk,
        "product": ooa.article_number,
        "consumption_amount": "1",
        "consumption_period": "day",
        "justification": "   ",
    }
    r = client.post(url, data)
    assert "Motivera varför" in _html(r)
    assert Case.objects.count() == 0


@pytest.mark.rule("CH-2")
def test_outside_region_diabetes_is_refused_with_the_pharmacy_explanation(
    logged_in: Any, world: World
) -> None:
    other = f.make_patient(f.PERSONNUMMER[3], resident_region="OTHER", region_name="Skåne")
    url = reverse("web:new_case", args=["outside_region"]) + f"?patient={other.pk}"
    r = logged_in(world.prescriber).post(
        url,
        {
            "patient": other.pk,
            "product": world.diabetes_product.article_number,
            "consumption_amount": "1",
            "consumption_period": "day",
        },
    )
    assert "hjälpmedelskort" in _html(r)
    assert Case.objects.count() == 0


def test_case_of_a_protected_patient_of_another_unit_is_404(logged_in: Any, world: World) -> None:
    secret = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    url = reverse("web:new_case", args=["out_of_assortment"]) + f"?patient={secret.pk}"
    assert logged_in(world.outsider).get(url).status_code == 404


def test_case_pages_of_another_unit_are_404(logged_in: Any, world: World, asylum_unit: Any) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    client = logged_in(world.outsider)
    assert client.get(reverse("web:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("web:complete_case", args=[case.pk])).status_code == 404
    assert client.get(reverse("web:new_case", args=["nonsense"])).status_code == 404


@pytest.mark.parametrize(
    "name,args",
    [
        ("web:backoffice", []),
        ("web:backoffice_case", [1]),
        ("web:follow_ups", []),
        ("web:conversion", [1]),
    ],
)
def test_back_office_is_forbidden_for_prescribers(
    logged_in: Any, world: World, name: Any, args: Any
) -> None:
    r = logged_in(world.prescriber).get(reverse(name, args=args))
    assert r.status_code == 403


@pytest.mark.parametrize("name,args", [("web:cases", []), ("web:new_case", ["asylum"])])
def test_case_forms_are_forbidden_for_orderers_and_customer_service(
    logged_in: Any, world: World, name: Any, args: Any
) -> None:
    assert logged_in(world.orderer).get(reverse(name, args=args)).status_code == 403
    assert logged_in(world.customer_service).get(reverse(name, args=args)).status_code == 403


# --- customer service ----------------------------------------------------------------------


@pytest.mark.rule("OOA-2", "CON-4")
def test_return_for_completion_needs_a_reason_then_prescriber_sees_it_and_completes(
    logged_in: Any,
    world: World,
    asylum_unit: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    agent = logged_in(world.customer_service)
    queue = _html(agent.get(reverse("web:backoffice")))
    assert case.reference in queue and "Asylsökande" in queue
    assert case.reference not in _html(
        agent.get(reverse("web:backoffice") + "?typ=protected_identity")
    )
    # no reason: refused on the field, nothing changes
    r = agent.post(
        reverse("web:decide_case", args=[case.pk]), {"decision": "return", "reason": " "}
    )
    assert "Ange vad som saknas" in _html(r)
    assert Case.objects.get().status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        r = agent.post(
            reverse("web:decide_case", args=[case.pk]),
            {"decision": "return", "reason": "LMA-kortets baksida saknas."},
        )
    assert r.status_code == 302
    send_pending()
    assert any(case.reference in m.subject for m in mail.outbox)
    client = logged_in(world.prescriber)
    page = _html(client.get(reverse("web:case", args=[case.pk])))
    assert "LMA-kortets baksida saknas." in page
    form = _html(client.get(reverse("web:complete_case", args=[case.pk])))
    assert "LMA-kortets baksida saknas." in form and 'value="Amina"' in form
    r = client.post(
        reverse("web:complete_case", args=[case.pk]),
        _asylum_post(product=world.diabetes_product.article_number),
    )
    assert r.status_code == 302
    assert Case.objects.get().status == "resubmitted"


@pytest.mark.rule("ASYL-4", "ASYL-5")
def test_approving_registers_the_patient_and_prescribes_on_601628(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    r = logged_in(world.customer_service).post(
        reverse("web:decide_case", args=[case.pk]), {"decision": "approve"}
    )
    assert r.status_code == 302
    rx = Prescription.objects.get()
    assert rx.unit.customer_number == "601628"
    assert Patient.objects.get(identifier="50008920").identity_kind == "lma"


def test_deciding_an_already_decided_case_is_refused(
    logged_in: Any, world: World, asylum_unit: Any, agent_actor: Any
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    return_case(case, reason="Saknas", actor=agent_actor)
    r = logged_in(world.customer_service).post(
        reverse("web:decide_case", args=[case.pk]), {"decision": "reject", "reason": "Nej"}
    )
    assert r.status_code == 200
    assert "redan beslutat" in _html(r) or "kan inte ändras" in _html(r)
    assert Case.objects.get().status == "returned_for_completion"


@pytest.fixture
def agent_actor(world: Any) -> Any:
    return world.actor(world.customer_service)


@pytest.mark.rule("ASYL-7")
def test_conversion_page_moves_history_to_the_personnummer(
    logged_in: Any, world: World, asylum_unit: Any, agent_actor: Any
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    approve_case(case, actor=agent_actor)
    lma = Patient.objects.get(identifier="50008920")
    agent = logged_in(world.customer_service)
    assert "Konvertera" in _html(agent.get(reverse("web:patient", args=[lma.pk])))
    r = agent.post(
        reverse("web:conversion", args=[lma.pk]), {"kind": "personnummer", "identifier": "x"}
    )
    assert "personnummer" in _html(r).lower() and "nhsuk-error-summary" in _html(r)
    r = agent.post(
        reverse("web:conversion", args=[lma.pk]),
        {
            "kind": "personnummer",
            "identifier": f.PERSONNUMMER[4],
            "first_name": "Amina",
            "last_name": "Yusuf",
        },
    )
    new = Patient.objects.get(identifier=f.PERSONNUMMER[4])
    assert r["Location"] == reverse("web:patient", args=[new.pk])
    assert Prescription.objects.get().patient == new
    # the old LMA number finds the new record (the prescriber now also has 601628)
    client = logged_in(world.prescriber)
    act_in(client, world.prescriber, world.unit)
    r = client.post(reverse("web:home"), {"identifier": "50-008920"})
    assert r["Location"] == reverse("web:patient", args=[new.pk])


@pytest.mark.rule("OOA-3")
def test_follow_up_list_and_logging_contacts(logged_in: Any, world: World) -> None:
    follow_up = _ooa_follow_up(world)
    agent = logged_in(world.customer_service)
    html = _html(agent.get(reverse("web:follow_ups")))
    assert follow_up.withdrawal.number in html
    prefix = f"f{follow_up.pk}"
    r = agent.post(
        reverse("web:log_contact", args=[follow_up.pk]),
        {f"{prefix}-party": "nobody", f"{prefix}-channel": "phone"},
    )
    assert r.status_code == 200 and "nhsuk-error-summary" in _html(r)
    assert ContactLog.objects.count() == 0
    for party in ("prescriber", "patient"):
        r = agent.post(
            reverse("web:log_contact", args=[follow_up.pk]),
            {f"{prefix}-party": party, f"{prefix}-channel": "phone", f"{prefix}-note": "Ok"},
        )
        assert r.status_code == 302
    assert FollowUp.objects.get().closed_at is not None
    assert agent.post(reverse("web:log_contact", args=[follow_up.pk]), {}).status_code == 404


# --- ordinary forms: the asylum decision and delivery to the unit -----------------------------


@pytest.mark.rule("ASYL-2")
def test_prescription_form_asks_for_the_decision_for_adult_lma_patients(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    lma = _person("50008920", identity_kind="lma", birth_date=dt.date(1990, 5, 1))
    f.add_membership(world.prescriber, unit=asylum_unit, role=Role.PRESCRIBER, areas=["diabetes"])
    client = logged_in(world.prescriber)
    act_in(client, world.prescriber, asylum_unit)
    url = reverse("web:new_prescription", args=[lma.pk])
    assert "Vården kan inte anstå" in _html(client.get(url))
    data = {
        "product": world.diabetes_product.article_number,
        "consumption_amount": "1",
        "consumption_period": "day",
    }
    r = client.post(url, data)
    assert "vård som inte kan anstå" in _html(r) and Prescription.objects.count() == 0
    r = client.post(url, {**data, "care_cannot_wait": "on"})
    assert r.status_code == 302
    assert Prescription.objects.get().care_cannot_wait is True
    # an ordinary patient's form does not ask
    assert "Vården kan inte anstå" not in _html(
        client.get(reverse("web:new_prescription", args=[world.patient.pk]))
    )


@pytest.mark.rule("SKYDD-5")
def test_protected_patient_is_ordered_to_the_unit_with_care_of(
    logged_in: Any, world: World
) -> None:
    secret = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    rx = f.make_prescription(
        patient=secret, product=world.diabetes_product, prescriber=world.prescriber, unit=world.unit
    )
    client = logged_in(world.prescriber)
    url = reverse("web:new_withdrawal", args=[secret.pk])
    html = _html(client.get(url))
    assert 'value="unit"' in html and 'value="door"' not in html and "Till enheten" in html
    assert secret.street not in html
    import uuid

    data = {f"qty_{rx.pk}": "10", "destination": "unit", "idempotency_key": str(uuid.uuid4())}
    r = client.post(url, data)
    assert "Ange c/o" in _html(r) and Withdrawal.objects.count() == 0
    r = client.post(url, {**data, "care_of": "Sjuksköterska Berg"})
    assert r.status_code == 302, _html(r)[:2000]
    w = Withdrawal.objects.get()
    assert (w.destination, w.care_of, w.street) == ("unit", "Sjuksköterska Berg", world.unit.street)
    # ordinary patients keep door and pickup point
    html = _html(client.get(reverse("web:new_withdrawal", args=[world.patient.pk])))
    assert 'value="door"' in html and 'value="unit"' not in html


# --- helpers ---------------------------------------------------------------------------------


def act_in(client: Any, user: Any, unit: Any) -> None:
    """Choose the membership in `unit` for the client's session."""
    from lmn.accounts.models import Membership
    from lmn.web.acting import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = Membership.objects.get(user=user, unit=unit, active=True).pk
    session.save()


def _protected_withdrawal(world: Any, secret: Any) -> Any:
    from lmn.delivery.details import DeliveryRequest
    from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

    rx = f.make_prescription(
        patient=secret, product=world.diabetes_product, prescriber=world.prescriber, unit=world.unit
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=secret,
            lines=[LineDraft(rx.pk, 10)],
            delivery=DeliveryRequest(destination="unit", care_of="Sjuksköterska Berg"),
        ),
        actor=world.actor(world.prescriber),
    )
    return w


def _ooa_follow_up(world: Any) -> Any:
    from lmn.delivery.details import DeliveryRequest
    from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

    ooa = f.make_product("incontinence", name="Specialskydd XL", procured=False, stocked=False)
    rx = f.make_prescription(
        patient=world.patient, product=ooa, prescriber=world.prescriber, unit=world.unit
    )
    place_withdrawal(
        WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(rx.pk, 5)], delivery=DeliveryRequest()
        ),
        actor=world.actor(world.prescriber),
    )
    Withdrawal.objects.update(promised_delivery_date=clock.today() + dt.timedelta(days=20))
    [follow_up] = flag_out_of_assortment_deliveries()
    return follow_up


# --- issue 8: journeys that ended in a dead end -----------------------------------------


@pytest.mark.rule("SKYDD-3")
def test_approved_protected_case_leads_the_prescriber_to_the_one_withdrawal(
    logged_in: Any, world: World, agent_actor: Any
) -> None:
    from lmn.cases.services import approve_case

    case = f.make_case(
        "protected_identity", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    approve_case(case, actor=agent_actor)
    case.refresh_from_db()
    client = logged_in(world.prescriber)
    page = _html(client.get(reverse("web:case", args=[case.pk])))
    patient_url = reverse("web:patient", args=[case.patient_id])
    assert f'href="{patient_url}"' in page
    overview = client.get(patient_url)
    assert overview.status_code == 200
    new_url = reverse("web:new_withdrawal", args=[case.patient_id])
    assert new_url in _html(overview)
    rx = case.prescription
    r = client.post(
        new_url,
        {
            f"qty_{rx.pk}": "10",
            "destination": "unit",
            "care_of": "Sjuksköterska Berg",
            "idempotency_key": "7c3c7a3e-8d9b-4c31-9d83-1d2b9d1d6c11",
        },
    )
    assert r.status_code == 302, _html(r)
    w = Withdrawal.objects.get(patient_id=case.patient_id)
    assert (w.destination, w.care_of) == ("unit", "Sjuksköterska Berg")
    # customer service sees the case, but never a link into the protected patient
    agent = logged_in(world.customer_service).get(reverse("web:backoffice_case", args=[case.pk]))
    assert agent.status_code == 200
    assert patient_url not in _html(agent)


@pytest.mark.rule("ASYL-6")
def test_an_unknown_lma_number_offers_the_asylum_case_prefilled(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    client = logged_in(world.prescriber)
    r = client.post(reverse("web:home"), {"identifier": "50-008920/4"})
    html = _html(r)
    assert "Ingen patient hittades" in html
    assert 'id="start-asylum-case"' in html
    assert reverse("web:new_case", args=["asylum"]) in html
    # the button starts the case with the number filled in, and nothing is submitted yet
    start = client.post(
        reverse("web:new_case", args=["asylum"]), {"lma_number": "50-008920/4", "_start": "1"}
    )
    form = _html(start)
    assert start.status_code == 200
    assert 'value="50-008920/4"' in form
    assert "nhsuk-error-summary" not in form
    assert Case.objects.count() == 0
    # the LMA number never went into a URL
    assert "008920" not in start.request["PATH_INFO"] + start.request.get("QUERY_STRING", "")


def test_every_case_kind_starts_from_one_page_reachable_from_the_search(
    logged_in: Any, world: World
) -> None:
    client = logged_in(world.prescriber)
    home = _html(client.get(reverse("web:home")))
    start_url = reverse("web:start_case")
    assert start_url in home
    page = _html(client.get(start_url))
    for kind in ("asylum", "without_permit", "protected_identity"):
        assert reverse("web:new_case", args=[kind]) in page
    assert 'value="out_of_assortment"' in page and 'value="outside_region"' in page
    r = client.post(start_url, {"kind": "out_of_assortment", "identifier": "19121212-1212"})
    patient = Patient.objects.get(identifier="191212121212")
    assert r["Location"] == reverse("web:new_case", args=["out_of_assortment"]) + (
        f"?patient={patient.pk}"
    )
    missing = _html(client.post(start_url, {"kind": "outside_region", "identifier": ""}))
    assert "Ange patientens personnummer." in missing
