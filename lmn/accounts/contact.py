"""The prescriber's contact details on "Min sida" (CON-1..CON-4).

CON-1  a direct phone number, never a switchboard.
CON-2  patients never get a prescriber's contact details: `prescriber_for_patient`
       is the one shape a prescriber has in patient-facing answers.
CON-3  the e-mail address is verified by a signed, expiring link at least every
       6 months; `email_gate_closed` stops a prescribing user on every channel (the
       portal sends them to verify, the API refuses their token) until it is.
CON-4  information to prescribers goes out by e-mail through the outbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from lmn.audit.services import record, refuse
from lmn.catalog.models import ProductArea
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem

# one phone normaliser for the whole system (phonenumbers, Swedish numbers by default)
from lmn.delivery.details import normalise_phone
from lmn.notifications.models import Notification
from lmn.notifications.services import queue
from lmn.organisations.models import PrescribingUnit

from .models import InformationMailing, Membership, User

VERIFY_EVERY_MONTHS = 6  # CON-3
VERIFICATION_LINK_HOURS = 48
_SALT = "lmn.accounts.email-verification"
# who may send information mailings and e-mail a prescriber (CON-4)
MAILING_ROLES = frozenset({Role.ADMIN, Role.CUSTOMER_SERVICE})


def update_contact_details(
    user: User, *, phone: str, phone_is_switchboard: bool, email: str, actor: Actor
) -> User:
    """Save the user's own contact details (CON-1). A changed e-mail must be verified again."""
    action = "accounts.contact.updated"
    if actor.user is None or actor.user.pk != user.pk:
        refuse(action, NotFound(), actor=actor)
    problems: list[Problem] = []
    normalised = normalise_phone(phone.strip()) if phone.strip() else None
    if not phone.strip():
        problems.append(Problem("CON-1", "Ange ditt direktnummer.", "phone"))
    elif normalised is None:
        problems.append(
            Problem(
                "invalid_phone", "Ange ett giltigt telefonnummer, t.ex. 031-123 45 67.", "phone"
            )
        )
    if phone_is_switchboard:
        problems.append(
            Problem(
                "CON-1",
                "Ange ett direktnummer där du själv svarar, inte ett växelnummer.",
                "phone",
            )
        )
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        problems.append(Problem("invalid_email", "Ange en giltig e-postadress.", "email"))
    if problems:
        refuse(action, DomainError(*problems), actor=actor)
    changed = [
        name
        for name, value in (("phone", normalised), ("email", email))
        if getattr(user, name) != value
    ] + (["phone_is_switchboard"] if user.phone_is_switchboard else [])
    with transaction.atomic():
        user.phone = normalised or ""
        user.phone_is_switchboard = False
        user.email = email
        user.save(update_fields=["phone", "phone_is_switchboard", "email"])
        record(action, actor=actor, obj=user, data={"changed": changed})
    return user


def needs_email_verification(user: User, *, today: dt.date) -> bool:
    """CON-3: never verified, verified another address, or last verified 6 months ago."""
    if not user.email:
        return True
    if user.email_verified_at is None or user.email_verified_address != user.email:
        return True
    verified_on = user.email_verified_at.astimezone(clock.STOCKHOLM).date()
    return clock.add_months(verified_on, VERIFY_EVERY_MONTHS) <= today


# what an API client is told when CON-3 stops a prescriber's token
EMAIL_GATE_MESSAGE = (
    "Din e-postadress behöver bekräftas. Logga in i LMN:s webbplats och bekräfta den "
    "med länken vi skickar; därefter fungerar API:t igen."
)


def email_gate_closed(actor: Actor, *, today: dt.date) -> bool:
    """CON-3 on every channel: a prescribing user goes no further until verified."""
    user = actor.user
    if actor.role not in Role.PRESCRIBING or not isinstance(user, User):
        return False
    return needs_email_verification(user, today=today)


def _token_for(user: User) -> str:
    # the last verification is in the token, so a link works once: after it is used
    # (or the address changes) the token no longer matches the user
    last = user.email_verified_at.isoformat() if user.email_verified_at else ""
    return signing.dumps({"u": user.pk, "e": user.email, "v": last}, salt=_SALT)


def send_email_verification(user: User, *, actor: Actor, link_base: str) -> Notification:
    """E-mail the user a link that proves the address (CON-3).

    `link_base` is the absolute address of the web page that calls `verify_email`
    with the token, e.g. "https://lmn.vgregion.se/min-sida/verifiera-epost/".
    """
    action = "accounts.email_verification.sent"
    if actor.user is None or actor.user.pk != user.pk:
        refuse(action, NotFound(), actor=actor)
    if not user.email:
        refuse(
            action,
            DomainError.single("invalid_email", "Ange din e-postadress först.", "email"),
            actor=actor,
        )
    token = _token_for(user)
    separator = "&" if "?" in link_base else "?"
    with transaction.atomic():
        notification = queue(
            channel=Notification.Channel.EMAIL,
            recipient=user.email,
            subject="Bekräfta din e-postadress i LMN",
            body=(
                f"Hej {user.display_name}!\n\n"
                "Bekräfta att den här e-postadressen är din genom att öppna länken nedan. "
                f"Länken gäller i {VERIFICATION_LINK_HOURS} timmar.\n\n"
                f"{link_base}{separator}token={token}\n\n"
                "Har du inte loggat in i LMN kan du bortse från meddelandet."
            ),
            obj=user,
        )
        record(action, actor=actor, obj=user, data={"notification": notification.pk})
    return notification


def verify_email(token: str) -> User:
    """Record that the user opened the link sent to their address (CON-3)."""
    action = "accounts.email_verification.verified"
    system = Actor.system("email-verification")
    try:
        payload = signing.loads(token, salt=_SALT, max_age=VERIFICATION_LINK_HOURS * 3600)
    except signing.SignatureExpired:
        refuse(
            action,
            DomainError.single(
                "CON-3", "Länken har gått ut. Logga in igen så skickas en ny länk.", "token"
            ),
            actor=system,
        )
    except signing.BadSignature:
        refuse(
            action,
            DomainError.single("invalid_link", "Länken är ogiltig.", "token"),
            actor=system,
        )
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    last = user.email_verified_at.isoformat() if user and user.email_verified_at else ""
    if user is None or payload.get("e") != user.email or payload.get("v") != last:
        refuse(
            action,
            DomainError.single(
                "invalid_link",
                "Länken gäller inte längre (adressen har ändrats eller redan bekräftats).",
                "token",
            ),
            actor=system,
        )
    actor = Actor(role=Role.SYSTEM, hsa_id=user.hsa_id or f"user:{user.pk}", user=user)
    with transaction.atomic():
        user.email_verified_at = clock.now()
        user.email_verified_address = user.email
        user.save(update_fields=["email_verified_at", "email_verified_address"])
        record(action, actor=actor, obj=user)
    return user


@dataclass(frozen=True)
class PrescriberForPatient:
    """A prescriber as a patient may see them (CON-2): who, and where, never how to reach."""

    name: str
    role: str
    unit_name: str


def prescriber_for_patient(user: User, unit: PrescribingUnit | None) -> PrescriberForPatient:
    """The only shape of a prescriber in patient-facing answers, and in what customer
    service reads out to a patient (CON-2): no phone, no e-mail, no HSA-id."""
    membership = (
        Membership.objects.filter(user=user, unit=unit).order_by("-active", "role").first()
        if unit is not None
        else None
    )
    return PrescriberForPatient(
        name=user.display_name,
        role=str(Role.LABELS.get(membership.role, "")) if membership else "",
        unit_name=unit.name if unit is not None else "",
    )


def _prescribers(areas: list[str], units: list[PrescribingUnit]) -> list[User]:
    memberships = Membership.objects.filter(
        active=True, user__is_active=True, role__in=Role.PRESCRIBING
    )
    if areas:
        # a doctor prescribes in every area (ACC-2)
        memberships = memberships.filter(Q(areas__code__in=areas) | Q(role=Role.DOCTOR))
    if units:
        memberships = memberships.filter(unit__in=units)
    ids = memberships.exclude(user__email="").values_list("user_id", flat=True).distinct()
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _mailing_problems(subject: str, body: str, areas: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    if not subject.strip() or len(subject) > 200:
        problems.append(
            Problem("subject_required", "Ange en rubrik (högst 200 tecken).", "subject")
        )
    if not body.strip():
        problems.append(Problem("body_required", "Skriv meddelandet.", "body"))
    known = set(ProductArea.objects.values_list("code", flat=True))
    if set(areas) - known:
        problems.append(Problem("unknown_area", "Okänt produktområde.", "areas"))
    return problems


def send_information_mailing(
    *,
    subject: str,
    body: str,
    actor: Actor,
    areas: list[str] | None = None,
    units: list[PrescribingUnit] | None = None,
) -> InformationMailing:
    """E-mail information to every active prescriber of the areas and units (CON-4).

    No areas (or units) means all of them. One outbox row per prescriber.
    """
    action = "accounts.mailing.sent"
    if actor.role not in MAILING_ROLES:
        refuse(
            action,
            PermissionDenied("CON-4", "Din roll får inte skicka utskick till förskrivare."),
            actor=actor,
        )
    areas, units = list(areas or []), list(units or [])
    problems = _mailing_problems(subject, body, areas)
    if problems:
        refuse(action, DomainError(*problems), actor=actor)
    with transaction.atomic():
        recipients = _prescribers(areas, units)
        mailing = InformationMailing.objects.create(
            subject=subject.strip(),
            body=body,
            area_codes=sorted(areas),
            unit_numbers=sorted(u.customer_number for u in units),
            sent_by=actor.user,
            sent_at=clock.now(),
            recipients=len(recipients),
        )
        for user in recipients:
            queue(
                channel=Notification.Channel.EMAIL,
                recipient=user.email,
                subject=mailing.subject,
                body=body,
                obj=mailing,
            )
        record(
            action,
            actor=actor,
            obj=mailing,
            data={
                "areas": mailing.area_codes,
                "units": mailing.unit_numbers,
                "recipients": len(recipients),
            },
        )
    return mailing
