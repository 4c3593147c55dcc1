"""Inner secrecy (PDL-1, PDL-2): which units' prescriptions and withdrawals a user sees.

Finding a patient shows who the patient is (patients_visible_to). What other units have
prescribed and ordered for the patient is another matter: care staff see their own
unit's records; others' only after stating a care relationship for the working day
(and the patient's consent when the records belong to another care provider). A
patient's block (spärr) of a unit hides that unit's records even then; only an
emergency access opens them.

The condition is a `Q` the domain queries (`prescriptions_visible_to`,
`withdrawals_visible_to`) add to theirs, so that portal, API and FHIR follow it alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from lmn.core import clock
from lmn.core.actor import Actor, Role

from .models import CareRelationship, Patient, PatientBlock

# Care staff: they see records by care relationship. Customer service, the distributor
# and system jobs keep the scope their work needs (their own queries narrow it further);
# the auditor reads accesses in the follow-up, not patients' records.
CARE_STAFF = frozenset({Role.PRESCRIBER, Role.DOCTOR, Role.ORDERER, Role.HEAD_OF_UNIT})
NO_RECORDS = frozenset({Role.AUDITOR})


def relationships_today(actor: Actor) -> QuerySet[CareRelationship]:
    """The actor's care relationships (and emergency accesses) valid today, in its unit."""
    return CareRelationship.objects.filter(
        actor_hsa_id=actor.hsa_id, unit=actor.unit, valid_on=clock.today()
    )


def care_scope_q(actor: Actor, *, patient: str = "patient", unit: str = "unit") -> Q:
    """The records (with fields `patient`, `unit`) of other units the actor may see.

    Own unit: always. A resident of the actor's ward: always. Same care provider (or no
    unit, e.g. ordered by customer service): with a care relationship. Another care
    provider: with a relationship stating consent. A unit the patient blocked: only with
    an emergency access.
    """
    if actor.role in NO_RECORDS:
        return Q(pk__in=[])
    if actor.role not in CARE_STAFF:
        return Q()
    if actor.unit is None:
        return Q(pk__in=[])
    today = relationships_today(actor)
    stated = today.values("patient_id")
    consented = today.filter(Q(consent=True) | Q(emergency=True)).values("patient_id")
    emergency = today.filter(emergency=True).values("patient_id")
    same_provider = Q(**{f"{unit}__isnull": True}) | Q(
        **{f"{unit}__care_provider_id": actor.unit.care_provider_id}
    )
    blocked = Exists(
        PatientBlock.objects.filter(
            patient_id=OuterRef(f"{patient}_id"), unit_id=OuterRef(f"{unit}_id"), lifted_at=None
        )
    )
    # a resident of the actor's special housing ward is in the ward's care: the relationship
    # and consent are documented when the patient moves in (the ward's joint orders, SAM-1)
    resident = Q(**{f"{patient}__care_home_unit": actor.unit})
    by_relationship = (
        (Q(**{f"{patient}__in": stated}) & same_provider)
        | Q(**{f"{patient}__in": consented})
        | resident
    ) & ~Q(blocked)
    return Q(**{unit: actor.unit}) | by_relationship | Q(**{f"{patient}__in": emergency})


def own_unit_only(actor: Actor, unit_ids: Iterable[int | None]) -> bool:
    """Whether records of these units are all in the actor's scope without asking the
    database: care staff always see their own unit's records, and roles outside care
    keep their whole scope. Decides the common case of an order on the unit's own
    prescription without building care_scope_q; any other case still goes through it.
    """
    if actor.role in NO_RECORDS:
        return False
    if actor.role not in CARE_STAFF:
        return True
    own = actor.unit.pk if actor.unit is not None else None
    return own is not None and all(unit_id == own for unit_id in unit_ids)


def active_blocks_of(patient: Patient) -> QuerySet[PatientBlock]:
    """The patient's blocks in force, oldest first (customer service's page)."""
    return (
        PatientBlock.objects.filter(patient=patient, lifted_at=None)
        .select_related("unit")
        .order_by("registered_at", "pk")
    )
