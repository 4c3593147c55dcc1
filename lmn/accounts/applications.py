"""Access applications (ACC-1..ACC-3, ACC-5).

The head of a unit (verksamhetschef) applies for a staff member's access in the units
they head — a role, product areas and the permission "Sambeställning – Särskilt boende"
— and for changes and endings. LMN administration approves or rejects. Approval takes
effect at once: memberships are created, changed or made inactive in the same
transaction, and an ended membership's API tokens are deleted. A web session loses the
access on its next request, because every request looks the membership up again
(`services.membership_for` reads only active memberships).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction

from lmn.audit.services import record, refuse
from lmn.catalog.models import ProductArea
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem
from lmn.core.states import ApplicationStatus, decide
from lmn.organisations.applications import reject, withdraw
from lmn.organisations.models import PrescribingUnit

from .models import AccessApplication, ApiToken, Membership, User

# the roles a head of unit applies for (ACC-2); other roles are given by administration
ACCESS_ROLES = frozenset({Role.PRESCRIBER, Role.ORDERER, Role.DOCTOR})
_HSA_ID = re.compile(r"^SE\d{10}-[A-Za-z0-9]{1,31}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class AccessApplicationDraft:
    """What the head of unit applies for, for one person in one or more units."""

    kind: str  # AccessApplication.Kind
    subject_hsa_id: str
    units: list[PrescribingUnit]
    role: str = ""
    area_codes: list[str] = field(default_factory=list)
    joint_ordering: bool = False  # "Sambeställning – Särskilt boende" (ACC-3, SAM-4)
    first_name: str = ""  # a person without an account yet
    last_name: str = ""
    email: str = ""


def _active_access(user: User | None, unit: PrescribingUnit) -> Membership | None:
    if user is None:
        return None
    return Membership.objects.filter(
        user=user, unit=unit, role__in=ACCESS_ROLES, active=True
    ).first()


def _problems(draft: AccessApplicationDraft, subject: User | None, actor: Actor) -> list[Problem]:
    problems: list[Problem] = []
    kind = draft.kind
    if kind not in AccessApplication.Kind.values:
        return [Problem("invalid_kind", "Välj ny, ändrad eller avslutad behörighet.", "kind")]
    if not draft.units:
        problems.append(Problem("units_required", "Välj minst en förskrivande enhet.", "units"))
    if not _HSA_ID.match(draft.subject_hsa_id):
        problems.append(
            Problem(
                "invalid_hsa_id",
                "Ange personens HSA-id, t.ex. SE2321000131-E000000001.",
                "subject_hsa_id",
            )
        )
    if actor.user is not None and draft.subject_hsa_id in {
        actor.user.hsa_id,
        f"user:{actor.user.pk}",
    }:
        problems.append(
            Problem(
                "ACC-1",
                "Du kan inte ansöka om behörighet för dig själv; det gör din egen chef.",
                "subject_hsa_id",
            )
        )
    if kind != AccessApplication.Kind.END:
        problems += _role_problems(draft)
    if kind == AccessApplication.Kind.GRANT and subject is None:
        if not (draft.first_name.strip() and draft.last_name.strip()):
            problems.append(Problem("name_required", "Ange personens namn.", "first_name"))
        if not _EMAIL.match(draft.email) or len(draft.email) > 254:
            problems.append(Problem("invalid_email", "Ange en giltig e-postadress.", "email"))
    problems += _unit_problems(draft, subject)
    return problems


def _role_problems(draft: AccessApplicationDraft) -> list[Problem]:
    """A new or changed access names a role (ACC-2) and known product areas (ACC-3)."""
    problems: list[Problem] = []
    if draft.role not in ACCESS_ROLES:
        problems.append(
            Problem("ACC-2", "Välj rollen Förskrivare, Beställare eller Läkare.", "role")
        )
    known = set(ProductArea.objects.values_list("code", flat=True))
    unknown = set(draft.area_codes) - known
    if unknown:
        problems.append(Problem("ACC-3", "Okänt produktområde.", "area_codes"))
    if draft.role == Role.PRESCRIBER and not draft.area_codes:
        problems.append(
            Problem("ACC-3", "Välj de produktområden förskrivaren ska ha.", "area_codes")
        )
    return problems


def _unit_problems(draft: AccessApplicationDraft, subject: User | None) -> list[Problem]:
    """A grant is for units the person lacks access to; a change or an end for units
    where they have it."""
    kind = draft.kind
    problems: list[Problem] = []
    for unit in draft.units:
        current = _active_access(subject, unit)
        if kind == AccessApplication.Kind.GRANT and current is not None:
            problems.append(
                Problem(
                    "already_has_access",
                    f"Personen har redan behörighet i {unit.customer_number}; "
                    "ansök om ändrad behörighet.",
                    "units",
                )
            )
        if kind != AccessApplication.Kind.GRANT and current is None:
            problems.append(
                Problem(
                    "no_access",
                    f"Personen har ingen behörighet i {unit.customer_number} att ändra "
                    "eller avsluta.",
                    "units",
                )
            )
    return problems


def _require_headed_units(draft: AccessApplicationDraft, *, actor: Actor, action: str) -> None:
    """ACC-5: a head applies only in units they head."""
    headed = set(
        Membership.objects.filter(
            user=actor.user, role=Role.HEAD_OF_UNIT, active=True, unit__active=True
        ).values_list("unit_id", flat=True)
    )
    not_headed = [u for u in draft.units if u.pk is None or u.pk not in headed]
    if not_headed:
        # a unit the head does not head (or a forged one) answers like a missing one
        refuse(
            action,
            NotFound(),
            actor=actor,
            data={"units": [getattr(u, "customer_number", "") for u in not_headed]},
        )


def submit_access_application(draft: AccessApplicationDraft, *, actor: Actor) -> AccessApplication:
    """The head of unit applies for a person's access in units they head (ACC-1, ACC-5)."""
    action = "accounts.access_application.submitted"
    if actor.role != Role.HEAD_OF_UNIT or actor.user is None:
        refuse(
            action,
            PermissionDenied("ACC-1", "Bara verksamhetschefen kan ansöka om behörighet."),
            actor=actor,
        )
    _require_headed_units(draft, actor=actor, action=action)
    subject = User.objects.filter(hsa_id=draft.subject_hsa_id).first()
    problems = _problems(draft, subject, actor)
    if problems:
        refuse(
            action,
            DomainError(*problems),
            actor=actor,
            data={"subject": draft.subject_hsa_id, "role": draft.role[:20]},
        )
    with transaction.atomic():
        application = AccessApplication.objects.create(
            kind=draft.kind,
            applicant=actor.user,
            subject=subject,
            subject_hsa_id=draft.subject_hsa_id,
            subject_first_name=draft.first_name.strip(),
            subject_last_name=draft.last_name.strip(),
            subject_email=draft.email.strip(),
            role="" if draft.kind == AccessApplication.Kind.END else draft.role,
            # a doctor prescribes in every area automatically (ACC-2)
            joint_ordering=draft.joint_ordering and draft.kind != AccessApplication.Kind.END,
            submitted_at=clock.now(),
        )
        application.units.set(draft.units)
        if draft.kind != AccessApplication.Kind.END and draft.role != Role.DOCTOR:
            application.areas.set(ProductArea.objects.filter(code__in=draft.area_codes))
        record(
            action,
            actor=actor,
            obj=application,
            data={
                "kind": draft.kind,
                "subject": draft.subject_hsa_id,
                "role": application.role,
                "units": sorted(u.customer_number for u in draft.units),
                "areas": sorted(draft.area_codes),
                "joint_ordering": application.joint_ordering,
            },
        )
    return application


def _require_admin(action: str, actor: Actor, application: AccessApplication) -> None:
    if actor.role != Role.ADMIN:
        refuse(
            action,
            PermissionDenied("ACC-1", "Bara LMN-administrationen beslutar om behörigheter."),
            actor=actor,
            obj=application,
        )


def approve_access_application(
    application: AccessApplication, *, actor: Actor, note: str = ""
) -> list[Membership]:
    """Grant, change or end the access at once; returns the memberships touched."""
    action = "accounts.access_application.approved"
    _require_admin(action, actor, application)
    if actor.user is not None and application.subject_hsa_id == actor.user.hsa_id:
        refuse(
            action,
            DomainError.single(
                "ACC-1", "Du kan inte besluta om din egen behörighet.", "subject_hsa_id"
            ),
            actor=actor,
            obj=application,
        )
    try:
        with transaction.atomic():
            locked = decide(application, ApplicationStatus.APPROVED, actor=actor, note=note)
            memberships = _apply(locked)
            record(
                action,
                actor=actor,
                obj=locked,
                data={
                    "kind": locked.kind,
                    "subject": locked.subject_hsa_id,
                    "role": locked.role,
                    "memberships": [m.pk for m in memberships],
                },
            )
    except DomainError as refused:
        refuse(action, refused, actor=actor, obj=application)
    application.refresh_from_db()
    return memberships


def _subject_for(application: AccessApplication) -> User:
    subject = application.subject or User.objects.filter(hsa_id=application.subject_hsa_id).first()
    if subject is None:
        # a new staff member: signs in with SITHS (HSA-id), so no password is set here
        subject = User(
            username=application.subject_hsa_id,
            hsa_id=application.subject_hsa_id,
            first_name=application.subject_first_name,
            last_name=application.subject_last_name,
            email=application.subject_email,
        )
        subject.set_unusable_password()
        subject.save()
    if application.subject_id != subject.pk:
        application.subject = subject
        application.save(update_fields=["subject"])
    return subject


def _apply(application: AccessApplication) -> list[Membership]:
    subject = _subject_for(application)
    units = list(application.units.order_by("pk"))
    areas = list(application.areas.all())
    touched: list[Membership] = []
    for unit in units:
        current = Membership.objects.select_for_update().filter(
            user=subject, unit=unit, role__in=ACCESS_ROLES, active=True
        )
        if application.kind == AccessApplication.Kind.GRANT and current.exists():
            raise DomainError.single(
                "already_has_access",
                f"Personen har redan behörighet i {unit.customer_number}.",
                "units",
            )
        if application.kind != AccessApplication.Kind.GRANT and not current.exists():
            raise DomainError.single(
                "no_access", f"Personen har ingen behörighet i {unit.customer_number}.", "units"
            )
        ending = (
            list(current)
            if application.kind == AccessApplication.Kind.END
            else [m for m in current if m.role != application.role]
        )
        if ending:
            Membership.objects.filter(pk__in=[m.pk for m in ending]).update(active=False)
            # a token must not come back to life if the membership is granted again
            ApiToken.objects.filter(membership__in=ending).delete()
            touched.extend(ending)
        if application.kind == AccessApplication.Kind.END:
            continue
        membership, _ = Membership.objects.update_or_create(
            user=subject,
            unit=unit,
            role=application.role,
            defaults={"active": True, "joint_ordering": application.joint_ordering},
        )
        membership.areas.set(areas)
        touched.append(membership)
    return touched


def reject_access_application(
    application: AccessApplication, *, actor: Actor, reason: str
) -> AccessApplication:
    action = "accounts.access_application.rejected"
    _require_admin(action, actor, application)
    rejected: AccessApplication = reject(application, action=action, actor=actor, reason=reason)
    return rejected


def withdraw_access_application(
    application: AccessApplication, *, actor: Actor
) -> AccessApplication:
    """The applicant takes back an application that is not yet decided."""
    action = "accounts.access_application.withdrawn"
    withdrawn: AccessApplication = withdraw(application, action=action, actor=actor)
    return withdrawn
