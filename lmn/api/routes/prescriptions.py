"""Prescriptions: register one (GEN-2), read one (audited), and its life after that:
change, renew, end, replace, move to another unit, history (RX-1..RX-4).

Every action is idempotent under an Idempotency-Key (the same request again answers as
the first did, header `Idempotent-Replayed: true`) and names the version it was based
on (`based_on_version`): a stale one is refused with 422 `stale_version`."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Header, Path, Router, Status

from lmn.api import render
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ErrorsOut
from lmn.api.fields import MAX_ID
from lmn.api.lookups import visible_patient, visible_prescription
from lmn.api.routes.prescription_input import (
    ChangeIn,
    EndIn,
    MoveIn,
    PrescriptionIn,
    RenewIn,
    ReplaceIn,
    product_of,
    replayed,
    require_key,
)
from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.core.authorization import PATIENT_READERS, SELF_SERVICE, RoutePolicy, prescribing
from lmn.core.errors import NotFound
from lmn.prescriptions.idempotency import once
from lmn.prescriptions.lifecycle import (
    PrescriptionChange,
    change_prescription,
    renew_prescription,
)
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.moves import receiving_unit, request_move
from lmn.prescriptions.queries import prescriptions_visible_to
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.withdrawals.ending import Ended, end_with_withdrawals
from lmn.withdrawals.queries import entitlement_for

router = Router(tags=["prescriptions"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "": prescribing("patient"),
    "/{prescription_id}": RoutePolicy(PATIENT_READERS | SELF_SERVICE, "prescription"),
    "/{prescription_id}/versions": RoutePolicy(PATIENT_READERS, "prescription"),
    # the service then checks that the actor prescribes at the prescription's unit
    "/{prescription_id}/change": prescribing("prescription"),
    "/{prescription_id}/renew": prescribing("prescription"),
    "/{prescription_id}/end": prescribing("prescription"),
    "/{prescription_id}/replace": prescribing("prescription"),
    "/{prescription_id}/moves": prescribing("prescription"),
}


@router.post(
    "",
    response={201: render.PrescriptionOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Registrera en förskrivning",
)
def create(request: HttpRequest, payload: PrescriptionIn) -> Status[render.PrescriptionOut]:
    """Answers with the reference (F + 8 digits) the prescriber documents in the journal."""
    actor = actor_of(request)
    patient = visible_patient(payload.patient_id, actor=actor)
    product = product_of(payload.article_number)
    p = create_prescription(
        PrescriptionDraft(
            patient=patient,
            product=product,
            consumption_amount=payload.consumption.amount,
            consumption_period=payload.consumption.per,
            valid_from=payload.valid_from,
            valid_until=payload.valid_until,
            max_supply_days=payload.max_supply_days,
            instructions=payload.instructions,
        ),
        actor=actor,
    )
    return Status(201, render.prescription(p, entitlement_for(p)))


@router.get(
    "/{prescription_id}", response={200: render.PrescriptionOut, 404: ErrorsOut, **COMMON_ERRORS}
)
def read(
    request: HttpRequest, prescription_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> render.PrescriptionOut:
    actor = actor_of(request)
    p = prescriptions_visible_to(actor).filter(pk=prescription_id).first()
    if p is None:
        record(
            "prescriptions.prescription.read",
            actor=actor,
            outcome=AuditEvent.Outcome.NOT_FOUND,
            channel="api",
            data={"prescription_id": prescription_id},
        )
        raise NotFound()
    record("prescriptions.prescription.read", actor=actor, patient=p.patient, obj=p, channel="api")
    return render.prescription(p, entitlement_for(p))


PrescriptionId = Annotated[int, Path(ge=1, le=MAX_ID)]
KeyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]
ACTION_ERRORS = {400: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut, **COMMON_ERRORS}


@router.get(
    "/{prescription_id}/versions",
    response={200: render.HistoryOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Förskrivningens versioner",
)
def versions(request: HttpRequest, prescription_id: PrescriptionId) -> render.HistoryOut:
    """Every version with what it said, when and by which role (RX-1); audited."""
    actor = actor_of(request)
    p = visible_prescription(prescription_id, actor=actor)
    record("prescriptions.prescription.read", actor=actor, patient=p.patient, obj=p, channel="api")
    rows = p.versions.select_related("unit").order_by("number")
    return render.HistoryOut(
        id=p.pk, reference=p.reference, versions=[render.version(v) for v in rows]
    )


@router.post(
    "/{prescription_id}/change",
    response={200: render.PrescriptionOut, **ACTION_ERRORS},
    summary="Ändra en förskrivning (ny version)",
)
def change(
    request: HttpRequest,
    response: HttpResponse,
    prescription_id: PrescriptionId,
    payload: ChangeIn,
    idempotency_key: KeyHeader = None,
) -> render.PrescriptionOut:
    """Consumption, validity, longest supply or instructions: a new version; the
    withdrawals so far keep counting (RX-1)."""
    key = require_key(idempotency_key)
    actor = actor_of(request)
    p = visible_prescription(prescription_id, actor=actor)
    draft = PrescriptionChange(
        based_on_version=payload.based_on_version,
        consumption_amount=payload.consumption.amount,
        consumption_period=payload.consumption.per,
        valid_until=payload.valid_until,
        max_supply_days=payload.max_supply_days,
        instructions=payload.instructions,
    )
    changed, created = once(
        actor=actor,
        key=key,
        action=f"change:{p.pk}",
        body=payload.model_dump(),
        run=lambda: change_prescription(p, draft, actor=actor),
    )
    replayed(response, created)
    return render.prescription(changed, entitlement_for(changed))


@router.post(
    "/{prescription_id}/renew",
    response={200: render.PrescriptionOut, **ACTION_ERRORS},
    summary="Förnya en förskrivning som snart går ut eller har gått ut",
)
def renew(
    request: HttpRequest,
    response: HttpResponse,
    prescription_id: PrescriptionId,
    payload: RenewIn,
    idempotency_key: KeyHeader = None,
) -> render.PrescriptionOut:
    """A new validity from today in one action (RX-2)."""
    key = require_key(idempotency_key)
    actor = actor_of(request)
    p = visible_prescription(prescription_id, actor=actor)
    renewed, created = once(
        actor=actor,
        key=key,
        action=f"renew:{p.pk}",
        body=payload.model_dump(),
        run=lambda: renew_prescription(
            p,
            based_on_version=payload.based_on_version,
            valid_until=payload.valid_until,
            actor=actor,
        ),
    )
    replayed(response, created)
    return render.prescription(renewed, entitlement_for(renewed))


def _ended(result: Ended) -> render.EndedOut:
    p = result.prescription
    new = result.replacement
    return render.EndedOut(
        prescription=render.prescription(p, entitlement_for(p)),
        stopped_withdrawals=result.stopped,
        kept_withdrawals=result.kept,
        replacement=render.prescription(new, entitlement_for(new)) if new else None,
    )


@router.post(
    "/{prescription_id}/end",
    response={200: render.EndedOut, **ACTION_ERRORS},
    summary="Avsluta en förskrivning med orsak",
)
def end(
    request: HttpRequest,
    response: HttpResponse,
    prescription_id: PrescriptionId,
    payload: EndIn,
    idempotency_key: KeyHeader = None,
) -> render.EndedOut:
    """Ended with a reason; open withdrawals not yet picked are stopped or kept as asked
    (RX-3). A withdrawal that also has other products is not stopped (422)."""
    key = require_key(idempotency_key)
    actor = actor_of(request)
    p = visible_prescription(prescription_id, actor=actor)
    found: list[Ended] = []

    def run() -> Prescription:
        found.append(
            end_with_withdrawals(
                p,
                reason=payload.reason,
                stop_open=payload.stop_open_withdrawals,
                based_on_version=payload.based_on_version,
                actor=actor,
            )
        )
        return found[0].prescription

    ended, created = once(
        actor=actor, key=key, action=f"end:{p.pk}", body=payload.model_dump(), run=run
    )
    replayed(response, created)
    return _ended(found[0] if found else Ended(ended))


@router.post(
    "/{prescription_id}/replace",
    response={200: render.EndedOut, 201: render.EndedOut, **ACTION_ERRORS},
    summary="Byt produkt: avsluta förskrivningen och förskriv en annan, länkade",
)
def replace(
    request: HttpRequest,
    response: HttpResponse,
    prescription_id: PrescriptionId,
    payload: ReplaceIn,
    idempotency_key: KeyHeader = None,
) -> Status[render.EndedOut]:
    """Ends this prescription (reason `replaced`) and registers one for the new product
    that names it (`replaces_id`), in one step; refused as a whole or done as a whole."""
    key = require_key(idempotency_key)
    actor = actor_of(request)
    p = visible_prescription(prescription_id, actor=actor)
    draft = PrescriptionDraft(
        patient=p.patient,
        product=product_of(payload.article_number),
        consumption_amount=payload.consumption.amount,
        consumption_period=payload.consumption.per,
        valid_until=payload.valid_until,
        max_supply_days=payload.max_supply_days,
        instructions=payload.instructions,
    )
    found: list[Ended] = []

    def run() -> Prescription:
        found.append(
            end_with_withdrawals(
                p,
                reason="replaced",
                stop_open=payload.stop_open_withdrawals,
                based_on_version=payload.based_on_version,
                actor=actor,
                replacement=draft,
            )
        )
        assert found[0].replacement is not None
        return found[0].replacement

    new, created = once(
        actor=actor, key=key, action=f"replace:{p.pk}", body=payload.model_dump(), run=run
    )
    replayed(response, created)
    result = found[0] if found else Ended(Prescription.objects.get(pk=p.pk), replacement=new)
    return Status(201 if created else 200, _ended(result))


@router.post(
    "/{prescription_id}/moves",
    response={200: render.MoveOut, 201: render.MoveOut, **ACTION_ERRORS},
    summary="Be en annan enhet ta över förskrivningen",
)
def request_move_route(
    request: HttpRequest,
    response: HttpResponse,
    prescription_id: PrescriptionId,
    payload: MoveIn,
    idempotency_key: KeyHeader = None,
) -> Status[render.MoveOut]:
    """Nothing moves until a prescriber of the receiving unit accepts
    (POST /prescription-moves/{move_id}/accept, RX-4)."""
    key = require_key(idempotency_key)
    actor = actor_of(request)
    p = visible_prescription(prescription_id, actor=actor)
    to_unit = receiving_unit(payload.to_unit)
    move, created = once(
        actor=actor,
        key=key,
        action=f"move:{p.pk}",
        body=payload.model_dump(),
        run=lambda: request_move(
            p,
            to_unit=to_unit,
            message=payload.message,
            based_on_version=payload.based_on_version,
            actor=actor,
        ),
    )
    replayed(response, created)
    return Status(201 if created else 200, render.move(move))
