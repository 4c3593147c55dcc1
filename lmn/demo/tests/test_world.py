"""The training world: deterministic, idempotent, and the fixed cast is in place."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from personnummer import personnummer

from lmn.accounts.models import Membership, User
from lmn.catalog.models import Product, ProductArea
from lmn.demo import data
from lmn.demo.world import (
    HISTORY_FIRST_NUMBER,
    LIVE_FIRST_NUMBER,
    build_world,
    register_rows,
)
from lmn.organisations.models import PrescribingUnit, UnitPayer
from lmn.patients.models import Patient, RegisterRecord
from lmn.prescriptions.models import Prescription
from lmn.withdrawals.models import Withdrawal, WithdrawalLine
from lmn.withdrawals.queries import entitlements_for

SMALL = 300
MODELS = [
    Product,
    PrescribingUnit,
    UnitPayer,
    User,
    Membership,
    RegisterRecord,
    Patient,
    Prescription,
    Withdrawal,
    WithdrawalLine,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in MODELS}


@pytest.fixture
def seeded(db: None) -> None:
    build_world(patients=SMALL)


@pytest.mark.django_db
def test_seeding_twice_changes_nothing_the_second_time() -> None:
    assert build_world(patients=SMALL) is True
    first = _counts()

    assert build_world(patients=SMALL) is False

    assert _counts() == first
    assert first["RegisterRecord"] == SMALL
    assert 180 <= first["Product"] <= 220
    assert first["PrescribingUnit"] == 20


@pytest.mark.django_db
def test_command_prints_the_logins_also_when_already_seeded() -> None:
    call_command("seed_demo", patients=SMALL, stdout=io.StringIO())
    out = io.StringIO()

    call_command("seed_demo", patients=SMALL, stdout=out)

    text = out.getvalue()
    assert "finns redan" in text
    for spec in data.LOGINS:
        assert spec.username in text
    assert "demo" in text


def test_register_generation_is_deterministic() -> None:
    first = [row["identifier"] for row in register_rows(500)]
    again = [row["identifier"] for row in register_rows(500)]
    assert first == again
    assert len(set(first)) == 500


def test_always_present_units_exist(seeded: None) -> None:
    units = {u.customer_number: u for u in PrescribingUnit.objects.select_related("care_provider")}
    assert units["602154"].name == "Vårdcentralen Hjärtat"
    assert units["602154"].kind == "health_centre"
    assert units["602154"].care_provider.kind == "region"
    assert units["601628"].kind == "asylum"
    assert units["601628"].care_provider.kind == "region"
    assert units["603001"].kind == "special_housing"
    assert units["603001"].care_provider.kind == "municipality"
    assert units["604500"].care_provider.kind == "private"
    assert all(len(n) == 6 and n.isdigit() for n in units)


@pytest.mark.rule("UNIT-1", "UNIT-2")
def test_every_unit_has_a_payer_for_every_area(seeded: None) -> None:
    areas = set(ProductArea.objects.values_list("pk", flat=True))
    for unit in PrescribingUnit.objects.all():
        assert set(unit.payers.values_list("product_area", flat=True)) == areas

    # some units have different payers for different areas
    mixed = [
        u for u in PrescribingUnit.objects.all() if u.payers.values("payer").distinct().count() > 1
    ]
    assert len(mixed) >= 3
    assert PrescribingUnit.objects.get(customer_number="602154") in mixed


def test_training_logins_have_their_roles_and_areas(seeded: None) -> None:
    def membership(username: str) -> Membership:
        return Membership.objects.select_related("unit", "user").get(user__username=username)

    def areas(m: Membership) -> set[str]:
        return set(m.areas.values_list("code", flat=True))

    m = membership("forskrivare")
    assert (m.role, m.unit.customer_number) == ("forskrivare", "602154")
    assert areas(m) == {"diabetes", "incontinence", "stoma"}
    m = membership("dietist")
    assert (m.role, m.unit.customer_number) == ("forskrivare", "602154")
    assert areas(m) == {"nutrition", "tube_feeding"}
    assert membership("lakare").role == "lakare"
    m = membership("bestallare")
    assert (m.role, m.unit.customer_number, m.joint_ordering) == ("bestallare", "603001", True)
    assert areas(m) == {"diabetes", "incontinence", "stoma", "tube_feeding"}
    for name in ("kundtjanst", "lmnadmin", "granskare"):
        assert membership(name).role == name
        assert membership(name).unit is None
    assert membership("verksamhetschef").unit.customer_number == "602154"
    m = membership("betalare")  # the payer's contact: no unit, the payer instead
    assert (m.role, m.unit, m.payer.name) == (
        "betalare",
        None,
        "Västra Götalandsregionen, Primärvårdsnämnden",
    )
    m = membership("annanenhet")
    assert (m.role, m.unit.customer_number) == ("forskrivare", "604500")
    assert len(areas(m)) == 5

    admin = User.objects.get(username="lmnadmin")
    assert admin.is_staff and admin.is_superuser
    for spec in data.LOGINS:
        user = User.objects.get(username=spec.username)
        assert user.check_password("demo")
        assert user.first_name and user.last_name and user.email and user.phone
        assert user.hsa_id.startswith("SE2321000131-E")


def test_fixed_register_persons_and_patients(seeded: None) -> None:
    register = {
        r.identifier: r
        for r in RegisterRecord.objects.filter(
            identifier__in=[p.identifier for p in data.FIXED_PERSONS]
        )
    }
    tolvan = register["191212121212"]
    assert (tolvan.first_name, tolvan.last_name) == ("Tolvan", "Tolvansson")
    assert (tolvan.region, tolvan.dwelling) == ("VG", "multi_family")
    assert register["194512242498"].dwelling == "care_home"
    assert register["201503151597"].region == "VG"
    assert register["197608080813"].region == "HALLAND"
    other = register["198802141427"]
    assert (other.region, other.region_name) == ("OTHER", "Stockholm")
    assert register["193001010176"].protected is True

    resident = Patient.objects.get(identifier="194512242498")
    assert resident.care_home_unit.customer_number == "603001"
    assert not Patient.objects.filter(identifier="193001010176").exists()


def test_tolvan_has_prescriptions_at_602154_and_one_past_withdrawal(seeded: None) -> None:
    tolvan = Patient.objects.get(identifier="191212121212")
    prescriptions = list(tolvan.prescriptions.select_related("unit", "product__area"))
    assert 2 <= len(prescriptions) <= 3
    assert {p.unit.customer_number for p in prescriptions} == {"602154"}
    assert {p.product.area.code for p in prescriptions} == {"diabetes", "incontinence"}
    assert tolvan.withdrawals.count() == 1
    assert tolvan.withdrawals.get().status == "delivered"
    # the history leaves room to order again today
    assert all(e.withdrawable_now > 0 for e in entitlements_for(prescriptions).values())


def test_history_numbers_stay_below_the_live_counter(seeded: None) -> None:
    numbers = [int(n[1:]) for n in Withdrawal.objects.values_list("number", flat=True)]
    assert numbers
    assert min(numbers) >= HISTORY_FIRST_NUMBER
    assert max(numbers) < LIVE_FIRST_NUMBER


def test_history_lines_are_charged_to_the_units_payer_for_the_area(seeded: None) -> None:
    payer_of = {
        (link.unit_id, link.product_area_id): link.payer_id for link in UnitPayer.objects.all()
    }
    for line in WithdrawalLine.objects.select_related("prescription", "product"):
        assert line.payer_id == payer_of[(line.prescription.unit_id, line.product.area_id)]


def test_register_holds_only_valid_numbers(seeded: None) -> None:
    # like the national register it stands in for, it knows one samordningsnummer too;
    # what a lookup may import is decided by lmn.patients.services (PAT-1, PAT-2)
    identifiers = list(RegisterRecord.objects.values_list("identifier", flat=True))
    assert len(identifiers) == len(set(identifiers)) == SMALL
    coordination = []
    for identifier in identifiers:
        assert len(identifier) == 12 and identifier.isdigit()
        assert personnummer.valid(identifier), identifier
        if personnummer.parse(identifier).is_coordination_number():
            coordination.append(identifier)
    assert coordination == [data.COORDINATION_PERSON]


@pytest.mark.rule("PAT-1")
@pytest.mark.rule("PAT-2")
def test_the_readmes_patients_answer_a_search_as_it_says(seeded: None) -> None:
    """README: Halland is found; Stockholm, the samordningsnummer and the protected person
    are not (the first two are led to the outside-region case)."""
    from lmn.accounts.services import actor_for
    from lmn.patients.services import find_patient_by_identifier

    membership = Membership.objects.get(
        user__username="forskrivare", unit__customer_number="602154"
    )
    actor = actor_for(membership)
    halland = find_patient_by_identifier("19760808-0813", actor=actor)
    assert halland is not None and halland.resident_region == "HALLAND"
    for number in ("19880214-1427", "19850762-2382", "19300101-0176"):
        assert find_patient_by_identifier(number, actor=actor) is None, number
    assert not Patient.objects.filter(
        identifier__in=["198802141427", "198507622382", "193001010176"]
    ).exists()
