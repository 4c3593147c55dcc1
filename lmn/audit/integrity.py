"""Verifying the whole audit trail, and sealing its chain heads with a key kept elsewhere.

The hash chains (services.py) show an altered, inserted, removed or reordered event in
the middle of a chain. They cannot show the last events of a chain removed, or a chain
removed whole: what is left is still a valid chain. So a scheduled job seals checkpoints
(each chain's last id, last hash and count, and a manifest of all chains) with an HMAC
whose key is not in the database: `LMN_AUDIT_SEAL_KEY` from the environment, or in
training a random key kept in `$LMN_DATA_DIR/audit-seal.key`. Someone who can write the
database but not read that key cannot forge a checkpoint that hides a deletion.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from lmn.core import clock

from .models import AuditCheckpoint, AuditEvent, AuditSeal, AuditVerification
from .services import GENESIS, _chain_fields, _digest

KEY_FILE = "audit-seal.key"


def seal_key() -> bytes:
    """The sealing key: from settings (environment), else the training key file."""
    key = getattr(settings, "LMN_AUDIT_SEAL_KEY", "")
    if key:
        return str(key).encode()
    if not getattr(settings, "TRAINING_MODE", False):
        raise ImproperlyConfigured("Set LMN_AUDIT_SEAL_KEY to seal the audit trail.")
    path = Path(settings.DATA_DIR) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def _hmac(*parts: Any) -> str:
    message = "|".join(str(p) for p in parts).encode()
    return hmac.new(seal_key(), message, hashlib.sha256).hexdigest()


def _checkpoint_seal(cp: AuditCheckpoint) -> str:
    return _hmac("checkpoint", cp.chain, cp.last_id, cp.last_hash, cp.count)


def _manifest_seal(m: AuditSeal, checkpoint_seals: list[str]) -> str:
    digest = hashlib.sha256("".join(sorted(checkpoint_seals)).encode()).hexdigest()
    return _hmac("manifest", m.taken_at.isoformat(), m.max_id, m.chains, m.total, digest)


@dataclass
class Problem:
    kind: str  # altered, inserted, deleted, reordered, forged, unsealed (no key)
    chain: str
    detail: str

    def line(self) -> str:
        return f"{self.kind}: chain {self.chain}: {self.detail}"


@dataclass
class Report:
    events: int = 0
    chains: int = 0
    checkpoint: int | None = None  # the manifest compared against
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _chains() -> dict[str, list[AuditEvent]]:
    chains: dict[str, list[AuditEvent]] = {}
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        chains.setdefault(event.chain, []).append(event)
    return chains


def take_checkpoint() -> AuditSeal:
    """Seal every chain's head as it is now, and a manifest over all of them."""
    with transaction.atomic():
        chains = _chains()
        heads = {name: (events[-1], len(events)) for name, events in chains.items()}
        max_id = max((e.id for e, _ in heads.values()), default=0)
        manifest = AuditSeal(
            taken_at=clock.now(),
            max_id=max_id,
            chains=len(heads),
            total=sum(n for _, n in heads.values()),
            seal="",
        )
        checkpoints = [
            AuditCheckpoint(chain=name, last_id=e.id, last_hash=e.hash, count=n, seal="")
            for name, (e, n) in sorted(heads.items())
        ]
        for cp in checkpoints:
            cp.seal = _checkpoint_seal(cp)
        manifest.seal = _manifest_seal(manifest, [cp.seal for cp in checkpoints])
        manifest.save()
        for cp in checkpoints:
            cp.manifest = manifest
        AuditCheckpoint.objects.bulk_create(checkpoints)
        return manifest


def _verify_links(name: str, events: list[AuditEvent]) -> list[Problem]:
    """Problems inside one chain: each event must hash right and follow its predecessor."""
    problems: list[Problem] = []
    position = {e.hash: i for i, e in enumerate(events)}
    referenced = {e.prev_hash for e in events}
    moved: set[int] = set()  # events found ahead of their predecessor
    for i, e in enumerate(events):
        if e.hash != _digest(e.prev_hash, _chain_fields(e)):
            problems.append(Problem("altered", name, f"event {e.id} does not match its hash"))
        expected = events[i - 1].hash if i else GENESIS
        if e.prev_hash == expected:
            continue
        before = -1 if e.prev_hash == GENESIS else position.get(e.prev_hash)
        if before is None:
            problems.append(Problem("deleted", name, f"the event before {e.id} is missing"))
        elif before > i:
            moved.add(i)
            problems.append(Problem("reordered", name, f"event {e.id} precedes its predecessor"))
        else:
            # events between `before` and `i` that nothing refers to were inserted; if
            # one is referred to, or was itself found early, they were moved (reordered)
            between = events[before + 1 : i]
            if moved.intersection(range(before + 1, i)) or any(
                x.hash in referenced for x in between
            ):
                problems.append(Problem("reordered", name, f"event {e.id} is out of order"))
            else:
                ids = ", ".join(str(x.id) for x in between)
                problems.append(Problem("inserted", name, f"event(s) {ids} do not belong"))
    return problems


def _verify_checkpoint(manifest: AuditSeal, chains: dict[str, list[AuditEvent]]) -> list[Problem]:
    checkpoints = list(manifest.checkpoints.all())
    forged = [cp for cp in checkpoints if not hmac.compare_digest(cp.seal, _checkpoint_seal(cp))]
    problems = [
        Problem("forged", cp.chain, f"checkpoint {cp.id} does not match its seal") for cp in forged
    ]
    expected = _manifest_seal(manifest, [cp.seal for cp in checkpoints])
    if not hmac.compare_digest(manifest.seal, expected):
        problems.append(Problem("forged", "*", f"manifest {manifest.id} does not match its seal"))
    if problems:
        return problems
    for cp in checkpoints:
        problems += _compare_head(cp, chains.get(cp.chain, []))
    known = {cp.chain for cp in checkpoints}
    for name, events in chains.items():
        if name not in known and events[0].id <= manifest.max_id:
            problems.append(Problem("inserted", name, "a chain unknown to the sealed checkpoint"))
    return problems


def _compare_head(cp: AuditCheckpoint, events: list[AuditEvent]) -> list[Problem]:
    covered = [e for e in events if e.id <= cp.last_id]
    if not covered:
        return [Problem("deleted", cp.chain, f"the whole chain ({cp.count} events) is missing")]
    last, missing = covered[-1], cp.count - len(covered)
    if last.id != cp.last_id:
        return [Problem("deleted", cp.chain, f"its last sealed event {cp.last_id} is missing")]
    if last.hash != cp.last_hash:
        return [Problem("altered", cp.chain, f"event {cp.last_id} differs from its seal")]
    if missing > 0:
        return [Problem("deleted", cp.chain, f"{missing} sealed event(s) are missing")]
    if missing < 0:
        return [Problem("inserted", cp.chain, f"{-missing} event(s) more than sealed")]
    return []


def verify_trail() -> Report:
    """Every chain's links, then the chains against the latest sealed checkpoint."""
    chains = _chains()
    report = Report(events=sum(len(e) for e in chains.values()), chains=len(chains))
    for name, events in chains.items():
        report.problems += _verify_links(name, events)
    try:
        seal_key()
    except ImproperlyConfigured as e:  # a trail without its key cannot prove its tail
        report.problems.append(Problem("unsealed", "*", str(e)))
        return report
    manifest = AuditSeal.objects.order_by("-id").first()
    if manifest is not None:
        report.checkpoint = manifest.id
        report.problems += _verify_checkpoint(manifest, chains)
    return report


def verify_and_record() -> Report:
    report = verify_trail()
    AuditVerification.objects.create(
        at=clock.now(),
        ok=report.ok,
        events=report.events,
        problems=[p.line() for p in report.problems],
    )
    return report


def run_audit_jobs() -> dict[str, int]:
    """Scheduled: verify the trail (recording the result), then seal a fresh checkpoint.

    A checkpoint is taken only over an intact trail, so that it never seals tampering.
    """
    report = verify_and_record()
    if report.ok:
        take_checkpoint()
    return {"audit_events_verified": report.events, "audit_problems": len(report.problems)}
