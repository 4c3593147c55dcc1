"""REST API of issue 5: access and unit applications (ACC-1, ACC-4, ACC-5, UNIT-3), the
ward's residents and joint orders (SAM-1..SAM-4, AKUT-7, GEN-1). One error shape, never a
500 for bad input, wrong role 403, another unit 404."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.accounts.models import AccessApplication, Membership, User
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.organisations.models import PrescribingUnit, UnitApplication
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import JointOrder, Withdrawal

from .conftest import assert_error, client_for, post_json

FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
ACCESS = "/api/v1/access-applications"
UNITS = "/api/v1/unit-applications"
JOINT = "/api/v1/joint-orders"
NEW_HSA = "SE2321000131-E000000777"


@pytest.fixture
def head(world: World) -> Any:
    return f.make_head(world.unit, "chef")


@pytest.fixture
def admin(world: World) -> Any:
    return client_for(f.make_admin("admin"))


def grant(**overrides: Any) -> Any:
    body = {
        "kind": "grant",
        "subject_hsa_id": NEW_HSA,
        "units": ["602154"],
        "role": Role.ORDERER,
        "areas": ["diabetes"],
        "joint_ordering": True,
        "first_name": "Nina",
        "last_name": "Ny",
        "email": "nina@example.se",
    }
    body.update(overrides)
    return body


# --- access applications ----------------------------------------------------------------


@pytest.mark.rule("ACC-1")
def test_head_applies_and_admin_approves_with_immediate_effect(
    world: World, head: Any, admin: Any
) -> None:
    response = post_json(client_for(head, world.unit), ACCESS, grant())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["units"] == ["602154"]
    assert [a["id"] for a in admin.get(ACCESS).json()] == [body["id"]]
    decided = post_json(admin, f"{ACCESS}/{body['id']}/decision", {"decision": "approve"})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    membership = Membership.objects.get(user__hsa_id=NEW_HSA, unit=world.unit)
    assert membership.active and membership.joint_ordering and membership.role == Role.ORDERER


def test_head_lists_only_own_applications(world: World, head: Any) -> None:
    other = f.make_head(world.unit, "chef2")
    post_json(client_for(head, world.unit), ACCESS, grant())
    assert client_for(other, world.unit).get(ACCESS).json() == []
    assert len(client_for(head, world.unit).get(ACCESS).json()) == 1


@pytest.mark.rule("ACC-1")
def test_a_forged_unit_is_404_audited_and_nothing_created(world: World, head: Any) -> None:
    response = post_json(client_for(head, world.unit), ACCESS, grant(units=["604500"]))
    assert_error(response, 404, "not_found")
    missing = post_json(client_for(head, world.unit), ACCESS, grant(units=["999998"]))
    assert missing.content == response.content
    assert not AccessApplication.objects.exists()
    assert (
        AuditEvent.objects.filter(
            action="accounts.access_application.submitted", outcome="not_found"
        ).count()
        == 2
    )


@pytest.mark.rule("ACC-1")
def test_granting_oneself_is_refused(world: World, head: Any) -> None:
    response = post_json(client_for(head, world.unit), ACCESS, grant(subject_hsa_id=head.hsa_id))
    assert_error(response, 422, "ACC-1")
    assert not AccessApplication.objects.exists()


@pytest.mark.parametrize(
    "body,code",
    [
        ({"kind": "grant"}, "required"),
        (grant(kind="forever"), "invalid_choice"),
        (grant(units=["12"]), "invalid_format"),
        (grant(units=[]), "required"),
        (grant(role="lmnadmin"), "ACC-2"),
        (grant(areas=["gold"]), "ACC-3"),
        (grant(joint_ordering="yes"), "invalid_boolean"),
        (grant(extra=1), "unknown_field"),
        (grant(first_name="\x00"), "invalid_characters"),
    ],
)
def test_bad_access_application_input_is_422_and_creates_nothing(
    world: World, head: Any, body: Any, code: Any
) -> None:
    response = post_json(client_for(head, world.unit), ACCESS, body)
    assert_error(response, 422, code)
    assert not AccessApplication.objects.exists()


def test_invalid_json_is_422(world: World, head: Any) -> None:
    response = client_for(head, world.unit).post(ACCESS, "{nope", content_type="application/json")
    assert_error(response, 422, "invalid_json")


def test_wrong_roles_get_403(world: World, head: Any, admin: Any) -> None:
    assert_error(post_json(client_for(world.prescriber, world.unit), ACCESS, grant()), 403, "ACC-1")
    assert_error(client_for(world.orderer, world.ward).get(ACCESS), 403, "ACC-1")
    assert_error(post_json(admin, ACCESS, grant()), 403, "ACC-1")
    assert_error(
        post_json(client_for(head, world.unit), f"{ACCESS}/1/decision", {"decision": "approve"}),
        403,
        "ACC-1",
    )


def test_deciding_an_unknown_application_is_404_and_a_decided_one_422(
    world: World, head: Any, admin: Any
) -> None:
    assert_error(
        post_json(admin, f"{ACCESS}/999999/decision", {"decision": "approve"}), 404, "not_found"
    )
    created = post_json(client_for(head, world.unit), ACCESS, grant()).json()
    url = f"{ACCESS}/{created['id']}/decision"
    assert_error(post_json(admin, url, {"decision": "reject"}), 422, "reason_required")
    assert post_json(admin, url, {"decision": "reject", "reason": "Nej"}).status_code == 200
    assert_error(post_json(admin, url, {"decision": "approve"}), 422, "invalid_transition")
    assert_error(post_json(admin, url, {"decision": "maybe"}), 422, "invalid_choice")
    assert not User.objects.filter(hsa_id=NEW_HSA).exists()


@pytest.mark.rule("ACC-5")
def test_a_private_providers_head_applies_for_their_unit(world: World) -> None:
    private = f.make_unit("604777", provider_kind="private")
    private_head = f.make_head(private, "privatchef")
    response = post_json(client_for(private_head, private), ACCESS, grant(units=["604777"]))
    assert response.status_code == 201


# --- unit applications ------------------------------------------------------------------


def unit_body(**overrides: Any) -> Any:
    body = {
        "name": "Solgården avd 3",
        "kind": "special_housing",
        "street": "Solgårdsgatan 7",
        "postcode": "417 42",
        "city": "Göteborg",
        "delivery_place": "Godsmottagningen",
        "payers": [
            {
                "area": code,
                "name": "Göteborgs Stad",
                "invoice_street": "Box 1",
                "invoice_postcode": "405 30",
                "invoice_city": "Göteborg",
            }
            for code in f.ALL_AREAS
        ],
    }
    body.update(overrides)
    return body


@pytest.mark.rule("ACC-4", "UNIT-3")
def test_a_unit_application_approved_gets_a_customer_number(
    world: World, head: Any, admin: Any
) -> None:
    created = post_json(client_for(head, world.unit), UNITS, unit_body())
    assert created.status_code == 201, created.content
    assert created.json()["customer_number"] is None
    assert len(created.json()["payers"]) == len(f.ALL_AREAS)
    assert [a["id"] for a in admin.get(UNITS).json()] == [created.json()["id"]]
    decided = post_json(admin, f"{UNITS}/{created.json()['id']}/decision", {"decision": "approve"})
    number = decided.json()["customer_number"]
    assert re.fullmatch(r"\d{6}", number)
    assert PrescribingUnit.objects.get(customer_number=number).name == "Solgården avd 3"


@pytest.mark.rule("UNIT-3")
def test_a_unit_application_missing_a_payer_is_refused(world: World, head: Any) -> None:
    body = unit_body()
    body["payers"] = body["payers"][:-1]
    assert_error(post_json(client_for(head, world.unit), UNITS, body), 422, "UNIT-2")
    assert_error(
        post_json(client_for(head, world.unit), UNITS, unit_body(postcode="1")),
        422,
        "invalid_postcode",
    )
    assert not UnitApplication.objects.exists()


@pytest.mark.rule("ACC-4")
def test_changing_a_unit_the_head_does_not_head_is_404(world: World, head: Any) -> None:
    response = post_json(client_for(head, world.unit), UNITS, unit_body(unit="604500"))
    assert_error(response, 404, "not_found")
    assert not UnitApplication.objects.exists()


def test_a_prescriber_may_not_apply_for_units(world: World) -> None:
    assert_error(
        post_json(client_for(world.prescriber, world.unit), UNITS, unit_body()), 403, "ACC-4"
    )


# --- wards and joint orders -------------------------------------------------------------


@pytest.fixture(autouse=True)
def friday() -> Iterator[Any]:
    with time_machine.travel(FRIDAY, tick=False):
        yield


@pytest.fixture
def ward(world: World) -> Any:
    world.ward.delivery_place = "Godsmottagningen, entréplan"
    world.ward.save()
    return world.ward


@pytest.fixture
def residents(world: World, ward: Any) -> Any:
    return [f.make_resident(ward, pnr) for pnr in f.PERSONNUMMER[1:4]]


def rx(world: World, patient: Any, product: Any = None) -> Any:
    return f.make_prescription(
        patient=patient,
        product=product or world.diabetes_product,
        prescriber=world.dietitian if product else world.prescriber,
        unit=world.unit,
        amount=2,
    )


def joint_body(*prescriptions: Any, **overrides: Any) -> Any:
    body = {
        "ward": "603001",
        "residents": [
            {"patient_id": p.patient_id, "lines": [{"prescription_id": p.pk, "quantity": 10}]}
            for p in prescriptions
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def orderer(world: World) -> Any:
    return client_for(world.orderer, world.ward)


@pytest.mark.rule("SAM-1")
def test_the_ward_lists_residents_with_what_each_may_withdraw(
    world: World, residents: Any, orderer: Any
) -> None:
    rx(world, residents[0])
    n = rx(world, residents[1], world.nutrition_product)
    body = orderer.get("/api/v1/wards/603001/residents").json()
    assert body["delivery_place"] == "Godsmottagningen, entréplan"
    assert {r["patient"]["id"] for r in body["residents"]} == {p.pk for p in residents}
    flags = {
        p["prescription"]["id"]: p["joint_allowed"]
        for r in body["residents"]
        for p in r["prescriptions"]
    }
    assert flags[n.pk] is False and True in flags.values()


def test_another_ward_is_404_and_audited(world: World, residents: Any, orderer: Any) -> None:
    f.make_ward("603999")
    other = orderer.get("/api/v1/wards/603999/residents")
    missing = orderer.get("/api/v1/wards/999999/residents")
    assert_error(other, 404, "not_found")
    assert other.content == missing.content
    assert (
        AuditEvent.objects.filter(
            action="withdrawals.ward_overview.read", outcome="not_found"
        ).count()
        == 2
    )


@pytest.mark.rule("SAM-1", "GEN-1")
def test_a_joint_order_gives_each_resident_a_withdrawal(
    world: World, residents: Any, orderer: Any
) -> None:
    a, b = rx(world, residents[0]), rx(world, residents[1])
    response = post_json(orderer, JOINT, joint_body(a, b))
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"S\d{8}", body["number"])
    assert {w["patient_id"] for w in body["withdrawals"]} == {a.patient_id, b.patient_id}
    assert all(re.fullmatch(r"U\d{8}", w["withdrawal"]) for w in body["withdrawals"])
    assert orderer.get(f"{JOINT}/{body['number']}").json() == body


@pytest.mark.rule("SAM-1")
def test_a_joint_order_sent_again_with_its_key_is_placed_once(
    world: World, residents: Any, orderer: Any
) -> None:
    a, b = rx(world, residents[0]), rx(world, residents[1])
    key = {"Idempotency-Key": "5f0c2d7e-joint-1"}
    first = post_json(orderer, JOINT, joint_body(a, b), **key)
    again = post_json(orderer, JOINT, joint_body(a, b), **key)
    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json()
    assert JointOrder.objects.count() == 1 and Withdrawal.objects.count() == 2
    bad = post_json(orderer, JOINT, joint_body(a, b), **{"Idempotency-Key": "x" * 65})
    assert_error(bad, 400, "invalid_idempotency_key")


@pytest.mark.rule("SAM-2")
def test_a_joint_order_across_wards_is_refused(world: World, residents: Any, orderer: Any) -> None:
    stranger = f.make_resident(f.make_ward("603999"), f.PERSONNUMMER[4])
    response = post_json(orderer, JOINT, joint_body(rx(world, residents[0]), rx(world, stranger)))
    assert_error(response, 422, "SAM-2")
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-2")
def test_a_forged_ward_is_404_and_nothing_created(
    world: World, residents: Any, orderer: Any
) -> None:
    f.make_ward("603999")
    a, b = rx(world, residents[0]), rx(world, residents[1])
    assert_error(post_json(orderer, JOINT, joint_body(a, b, ward="603999")), 404, "not_found")
    assert not JointOrder.objects.exists()


@pytest.mark.rule("SAM-4")
def test_nutrition_never_goes_in_a_joint_order(world: World, residents: Any, orderer: Any) -> None:
    a = rx(world, residents[0])
    n = rx(world, residents[1], world.nutrition_product)
    assert_error(post_json(orderer, JOINT, joint_body(a, n)), 422, "SAM-4")
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-4")
def test_joint_ordering_needs_the_permission(world: World, residents: Any) -> None:
    without = f.make_user("utan", unit=world.ward, role=Role.ORDERER)
    a, b = rx(world, residents[0]), rx(world, residents[1])
    response = post_json(client_for(without, world.ward), JOINT, joint_body(a, b))
    assert_error(response, 403, "SAM-4")
    assert_error(
        post_json(client_for(world.prescriber, world.unit), JOINT, joint_body(a, b)), 403, "SAM-4"
    )


@pytest.mark.rule("AKUT-7")
def test_there_is_no_joint_emergency_order(world: World, residents: Any, orderer: Any) -> None:
    a, b = rx(world, residents[0]), rx(world, residents[1])
    assert_error(post_json(orderer, JOINT, joint_body(a, b, speed="emergency")), 422, "AKUT-7")
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-3")
def test_a_ward_without_a_delivery_place_cannot_joint_order(world: World, orderer: Any) -> None:
    residents = [f.make_resident(world.ward, pnr) for pnr in f.PERSONNUMMER[1:3]]
    a, b = rx(world, residents[0]), rx(world, residents[1])
    assert_error(post_json(orderer, JOINT, joint_body(a, b)), 422, "SAM-3")


@pytest.mark.parametrize(
    "mutate,code",
    [
        (lambda b: b.update(ward="abc"), "invalid_format"),
        (lambda b: b.update(residents="x"), "invalid_list"),
        (lambda b: b["residents"][0]["lines"][0].update(quantity="1"), "invalid_integer"),
        (lambda b: b["residents"][0]["lines"][0].update(quantity=2**40), "out_of_range"),
        (lambda b: b["residents"][0].update(lines=[]), "required"),
        (lambda b: b.update(speed="fast"), "invalid_choice"),
    ],
)
def test_bad_joint_order_input_is_422(
    world: World, residents: Any, orderer: Any, mutate: Any, code: Any
) -> None:
    body = joint_body(rx(world, residents[0]), rx(world, residents[1]))
    mutate(body)
    assert_error(post_json(orderer, JOINT, body), 422, code)
    assert not Withdrawal.objects.exists()


def test_a_joint_order_of_another_ward_is_404(world: World, residents: Any, orderer: Any) -> None:
    a, b = rx(world, residents[0]), rx(world, residents[1])
    number = post_json(orderer, JOINT, joint_body(a, b)).json()["number"]
    other_ward = f.make_ward("603999")
    other = f.make_user("annan", unit=other_ward, role=Role.ORDERER, joint_ordering=True)
    assert_error(client_for(other, other_ward).get(f"{JOINT}/{number}"), 404, "not_found")
    assert_error(orderer.get(f"{JOINT}/S99999999"), 404, "not_found")
