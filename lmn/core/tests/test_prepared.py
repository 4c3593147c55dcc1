"""A Prepared read answers exactly what its queryset would, for every value it is given."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.db.models import F, QuerySet, Value

from lmn.core.prepared import Prepared, PreparedInsert
from lmn.delivery.details import DeliveryRequest
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.withdrawals.queries import _withdrawn_rows
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal


def _prescriptions(ids: list[int], patient: int) -> QuerySet[Any, Any]:
    return (
        Prescription.objects.select_related("product__area", "unit")
        .filter(pk__in=ids, patient_id=patient)
        .annotate(twice=F("max_supply_days") * 2)
        .order_by("pk")
    )


@pytest.fixture
def three(world: Any) -> list[Prescription]:
    patient = f.make_patient(f.PERSONNUMMER[3])
    return [
        f.make_prescription(
            patient=patient,
            product=f.make_product(article_number=code),
            prescriber=world.prescriber,
            unit=world.unit,
            max_supply_days=days,
        )
        for code, days in (("1001", 30), ("1002", 60), ("1003", 90))
    ]


def _fields(p: Prescription) -> tuple[Any, ...]:
    return (
        {k: v for k, v in p.__dict__.items() if not k.startswith("_")},
        {k: v for k, v in p.product.__dict__.items() if not k.startswith("_")},
        p.product.area.code,
        p.unit.customer_number,
    )


def test_instances_with_related_rows_and_annotations_are_the_querysets(three: Any) -> None:
    read = Prepared(_prescriptions)
    patient = three[0].patient_id
    for ids in ([three[1].pk], [p.pk for p in three], [three[2].pk, three[0].pk]):
        got = read(ids=ids, patient=patient)
        expected = list(_prescriptions(ids, patient))
        assert [_fields(p) for p in got] == [_fields(p) for p in expected]
        assert [p.twice for p in got] == [p.max_supply_days * 2 for p in expected]


def test_other_values_give_other_rows(three: Any) -> None:
    read = Prepared(_prescriptions)
    patient = three[0].patient_id
    assert [p.pk for p in read(ids=[three[0].pk], patient=patient)] == [three[0].pk]
    assert [p.pk for p in read(ids=[three[1].pk], patient=patient)] == [three[1].pk]
    assert read(ids=[three[1].pk], patient=patient + 1000) == []


def test_rows_of_a_values_list_are_converted_like_the_querysets(three: Any, world: Any) -> None:

    patient = three[0].patient
    place_withdrawal(
        WithdrawalDraft(
            patient=patient,
            lines=[LineDraft(prescription_id=p.pk, quantity=5) for p in three],
            delivery=DeliveryRequest(destination="door", speed="standard", door_code="1234"),
        ),
        actor=f.actor_of(world.prescriber, world.unit),
    )
    ids = [p.pk for p in three]
    got = Prepared(_withdrawn_rows)(ids=ids)
    assert got == list(_withdrawn_rows(ids))
    assert len(got) == 3 and got[0][1].tzinfo is not None  # an aware datetime, as the ORM's


def test_text_values_are_bound_too(world: Any) -> None:
    from lmn.accounts.models import User

    read = Prepared(lambda name: User.objects.filter(username=name).values_list("pk"))
    assert read(name="forskrivare") == [(world.prescriber.pk,)]
    assert read(name="dietist") == [(world.dietitian.pk,)]
    assert read(name="'; DROP TABLE accounts_user; --") == []


def test_a_locking_read_runs_inside_the_transaction(three: Any) -> None:
    read = Prepared(
        lambda ids, patient: _prescriptions(ids, patient).select_for_update(of=("self",))
    )
    with transaction.atomic():
        got = read(ids=[three[0].pk], patient=three[0].patient_id)
    assert [p.pk for p in got] == [three[0].pk]


def test_a_value_that_does_not_reach_the_sql_is_refused(world: Any) -> None:
    read = Prepared(lambda ids, patient: Prescription.objects.filter(pk__in=ids))
    with pytest.raises(ValueError):
        read(ids=[1], patient=2)


def test_a_union_with_a_value_in_both_branches_reads_as_the_queryset(three: Any) -> None:
    def both(patient: int, product: int) -> QuerySet[Any, Any]:
        first = Prescription.objects.filter(patient_id=patient, product_id=product)
        rest = Prescription.objects.filter(patient_id=patient).exclude(product_id=product)
        return first.annotate(first=Value(True)).union(rest.annotate(first=Value(False)), all=True)

    read = Prepared(both)
    patient = three[0].patient_id
    for product, found in ((three[0].product_id, 1), (three[1].product_id, 1), (-1, 0)):
        got = sorted((p.pk, p.first, p.product_id) for p in read(patient=patient, product=product))
        want = sorted((p.pk, p.first, p.product_id) for p in both(patient, product))
        assert got == want
        assert len(got) == 3
        assert sum(first for _pk, first, _product in got) == found


def test_a_list_reads_as_the_orms_in_filter_duplicates_and_empty_included(three: Any) -> None:
    read = Prepared(_prescriptions)
    patient = three[0].patient_id
    twice = [three[0].pk, three[0].pk, three[1].pk]
    assert [p.pk for p in read(ids=twice, patient=patient)] == [
        p.pk for p in _prescriptions(twice, patient)
    ]
    assert read(ids=[], patient=patient) == list(_prescriptions([], patient)) == []


def _row(model: Any, pk: int, *leave_out: str) -> dict[str, Any]:
    row = model.objects.filter(pk=pk).values().get()
    return {k: v for k, v in row.items() if k not in {"id", *leave_out}}


def test_an_insert_writes_the_row_save_writes(three: Any, world: Any) -> None:
    from lmn.audit.models import AuditEvent
    from lmn.withdrawals.models import Withdrawal, WithdrawalEvent, WithdrawalLine
    from lmn.withdrawals.services.numbering import _next_number

    patient = three[0].patient
    now = three[0].created_at

    def withdrawal() -> Withdrawal:
        return Withdrawal(
            number=_next_number(), patient=patient, ordering_unit=world.unit,
            ordered_by=world.prescriber, ordered_by_role="forskrivare", placed_at=now,
            street="Storgatan 1", postcode="41301", city="Göteborg", door_code="12<3>",
            notices=[{"code": "x", "text": "två ord"}], multi_family=True,
        )  # fmt: skip

    saved, inserted = withdrawal(), withdrawal()
    saved.save()
    PreparedInsert(Withdrawal)(inserted)
    assert inserted.pk and inserted.pk != saved.pk and not inserted._state.adding
    # the number an expression fills in on PostgreSQL is read back, as save() reads it
    assert isinstance(inserted.number, str) and inserted.number.startswith("U")
    assert _row(Withdrawal, inserted.pk, "number") == _row(Withdrawal, saved.pk, "number")
    assert Withdrawal.objects.get(pk=inserted.pk).number == inserted.number

    lines = [
        WithdrawalLine(withdrawal=inserted, prescription=p, product=p.product, quantity=q,
                       payer_id=world.unit.payers.first().payer_id)
        for p, q in zip(three, (1, 2, 3), strict=True)
    ]  # fmt: skip
    PreparedInsert(WithdrawalLine)(*lines)
    assert [ln.quantity for ln in WithdrawalLine.objects.filter(withdrawal=inserted)] == [1, 2, 3]
    assert [ln.pk for ln in lines] == sorted(ln.pk for ln in lines)

    event = WithdrawalEvent(withdrawal=inserted, at=now, to_status="placed", actor_role="x")
    PreparedInsert(WithdrawalEvent)(event)
    assert WithdrawalEvent.objects.get(pk=event.pk).to_status == "placed"

    audit = AuditEvent(at=now, action="test.inserted", data={"å": [1, None]}, chain="c",
                       prev_hash="p", hash="h")  # fmt: skip
    PreparedInsert(AuditEvent)(audit)
    assert AuditEvent.objects.get(pk=audit.pk).data == {"å": [1, None]}


def test_an_insert_that_skips_a_conflict_writes_nothing_and_says_so(world: Any) -> None:
    from lmn.patients.models import Patient

    first = f.make_patient(f.PERSONNUMMER[2])
    twin = Patient(**{k: v for k, v in Patient.objects.filter(pk=first.pk).values().get().items()
                      if k != "id"})  # fmt: skip
    insert = PreparedInsert(Patient, skip_conflict=True)
    with transaction.atomic():
        assert insert(twin) == 0 and twin.pk is None
        # the transaction goes on (no failed statement to roll back to)
        assert Patient.objects.filter(identifier=first.identifier).count() == 1
    other = Patient(**{**{k: v for k, v in Patient.objects.filter(pk=first.pk).values().get()
                          .items() if k != "id"}, "identifier": f.PERSONNUMMER[4]})  # fmt: skip
    assert insert(other) == 1 and other.pk is not None
