"""Recording audit events in the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.db import connection, models, transaction

from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.core.prepared import Prepared, PreparedInsert

from .models import AuditEvent

GENESIS = "0" * 64
# every audited action appends: the INSERT's fixed parts built once (core.prepared)
_insert = PreparedInsert(AuditEvent)
_SECRET_KEYS = {"password", "token", "door_code", "key"}
# an arbitrary constant that names the audit chains' advisory locks on PostgreSQL
_PG_LOCK_ID = 7_141


def _mask(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k in _SECRET_KEYS and v else v) for k, v in data.items()}


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _chain_fields(event: AuditEvent) -> dict[str, Any]:
    fields = {
        "at": event.at.isoformat(),
        "action": event.action,
        "outcome": event.outcome,
        "actor": event.actor_hsa_id,
        "role": event.actor_role,
        "unit": event.unit_number,
        "patient": event.patient_id,
        "object": f"{event.object_type}:{event.object_id}",
        "channel": event.channel,
        "data": event.data,
    }
    if event.chain:  # events from before per-patient chains were hashed without it
        fields["chain"] = event.chain
    return fields


def _chained(
    action: str,
    *,
    actor: Actor,
    at: Any,
    chain: str,
    prev_hash: str,
    patient: Any = None,
    obj: models.Model | None = None,
    outcome: str = AuditEvent.Outcome.OK,
    channel: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """One event, not yet written, hashed onto `prev_hash` of its chain."""
    event = AuditEvent(
        at=at,
        action=action,
        outcome=outcome,
        actor_hsa_id=actor.hsa_id,
        actor_role=actor.role,
        unit_number=actor.unit_number,
        patient_id=getattr(patient, "pk", None),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        channel=channel,
        data=_mask(data or {}),
        chain=chain,
        prev_hash=prev_hash,
    )
    event.hash = _digest(prev_hash, _chain_fields(event))
    return event


def record(
    action: str,
    *,
    actor: Actor,
    patient: Any = None,
    obj: models.Model | None = None,
    outcome: str = AuditEvent.Outcome.OK,
    channel: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event inside the current transaction (one is opened if needed).

    `patient` is a Patient (or None); `obj` names the object acted on.
    """
    chain = _chain_of(patient, actor)
    # no savepoint: a failed append fails the caller's transaction anyway (two queries less)
    with transaction.atomic(savepoint=False):
        event = _chained(
            action, actor=actor, at=clock.now(), chain=chain,
            prev_hash=_chain_head(chain) or GENESIS, patient=patient, obj=obj,
            outcome=outcome, channel=channel, data=data,
        )  # fmt: skip
        _insert(event)
        return event


@dataclass(frozen=True)
class Entry:
    """One of several events record_in_order appends to one chain."""

    action: str
    patient: Any = None
    obj: models.Model | None = None
    outcome: str = AuditEvent.Outcome.OK


def record_in_order(
    entries: Sequence[Entry], *, actor: Actor, channel: str = "", new_patient: bool = False
) -> list[AuditEvent]:
    """Append events to one chain in this order, as record() one by one would, with one
    read of the chain's head and one INSERT (e.g. a patient imported, then searched).

    `new_patient`: the entries' patient was written in this transaction, so their chain
    is empty and no other transaction can append to it before this one commits (nothing
    outside knows the new id): it starts at the genesis, without the lock and the read.
    """
    chain = _chain_of(entries[0].patient, actor)
    if any(_chain_of(e.patient, actor) != chain for e in entries):
        raise ValueError("record_in_order appends to one chain")
    if new_patient and not chain.startswith("patient:"):
        raise ValueError("a new patient's chain needs the patient")
    with transaction.atomic(savepoint=False):
        last = GENESIS if new_patient else _chain_head(chain) or GENESIS
        now = clock.now()
        events = []
        for entry in entries:
            event = _chained(
                entry.action, actor=actor, at=now, chain=chain, prev_hash=last,
                patient=entry.patient, obj=entry.obj, outcome=entry.outcome, channel=channel,
            )  # fmt: skip
            last = event.hash
            events.append(event)
        _insert(*events)
        return events


@dataclass(frozen=True)
class Shown:
    """One audit entry of a bulk read: the patient shown (or None) and the object shown."""

    patient: Any = None
    obj: models.Model | None = None
    data: dict[str, Any] = field(default_factory=dict)


def record_many(
    action: str,
    entries: Iterable[Shown],
    *,
    actor: Actor,
    channel: str = "",
    outcome: str = AuditEvent.Outcome.OK,
) -> list[AuditEvent]:
    """Append one event per entry in a single insert, each extending its own chain.

    For lists (a search result, a ward, a case list): one event per patient shown, as
    record() would write them one by one, but with a constant number of queries. The
    chains' locks are taken in name order so two bulk reads never deadlock each other.
    """
    entries = list(entries)
    if not entries:
        return []
    chains = [_chain_of(e.patient, actor) for e in entries]
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(c)) "
                    "FROM (SELECT DISTINCT c FROM unnest(%s::text[]) AS c ORDER BY c) AS sorted",
                    [_PG_LOCK_ID, chains],
                )
        last = _last_hashes(set(chains))
        now = clock.now()
        events = []
        for entry, chain in zip(entries, chains, strict=True):
            event = _chained(
                action, actor=actor, at=now, chain=chain, prev_hash=last.get(chain, GENESIS),
                patient=entry.patient, obj=entry.obj, outcome=outcome, channel=channel,
                data=entry.data,
            )  # fmt: skip
            last[chain] = event.hash
            events.append(event)
        # one INSERT, rows in list order: ids follow the chains' order
        return AuditEvent.objects.bulk_create(events)


def _chain_head(chain: str) -> str | None:
    """The hash of the chain's last event, read under the chain's lock (PostgreSQL).

    Serialise appends to this chain only; SQLite's IMMEDIATE transactions already
    serialise all writes. One global chain made every audited transaction in the region
    queue on one lock (measured: 56 orders/s on PostgreSQL). The lock and the read are
    one round trip there (the function of migration 0006), a read after the lock all
    the same.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT lmn_audit_chain_head(%s, %s)", [_PG_LOCK_ID, chain])
            row = cursor.fetchone()
        return row[0] if row else None
    found = _last_of_chain(chain=chain)
    return found[0][0] if found else None


# SQLite: every audited action reads its chain's head (compiled once, core.prepared)
_last_of_chain = Prepared(
    lambda chain: AuditEvent.objects.filter(chain=chain).order_by("-id").values_list("hash")[:1]
)


def _chain_of(patient: Any, actor: Actor) -> str:
    return f"patient:{patient.pk}" if getattr(patient, "pk", None) else f"actor:{actor.hsa_id}"


def _last_hashes(chains: set[str]) -> dict[str, str]:
    """The hash of each chain's last event (chains without events are left out)."""
    last_ids = (
        AuditEvent.objects.filter(chain__in=chains)
        .values("chain")
        .annotate(last=models.Max("id"))
        .values_list("last", flat=True)
    )
    return dict(AuditEvent.objects.filter(id__in=list(last_ids)).values_list("chain", "hash"))


def verify_chain() -> int | None:
    """The id of the first event whose hash does not match its chain, or None if all hold.

    Events form one chain per patient (and one per actor for events about no patient),
    so that appends to different chains need not wait for each other.
    """
    last: dict[str, str] = {}
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        prev = last.get(event.chain, GENESIS)
        if event.prev_hash != prev or event.hash != _digest(prev, _chain_fields(event)):
            return int(event.id)
        last[event.chain] = event.hash
    return None


def refuse(
    action: str,
    error: DomainError | PermissionDenied | NotFound,
    *,
    actor: Actor,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> NoReturn:
    """Audit a refusal (nothing else was written) and raise it: denials are traced too."""
    outcome = {
        DomainError: AuditEvent.Outcome.REFUSED,
        PermissionDenied: AuditEvent.Outcome.DENIED,
        NotFound: AuditEvent.Outcome.NOT_FOUND,
    }[type(error)]
    codes = (
        [p.code for p in error.problems]
        if isinstance(error, DomainError)
        else [getattr(error, "code", "not_found")]
    )
    record(action, actor=actor, obj=obj, outcome=outcome, data={"codes": codes, **(data or {})})
    raise error
