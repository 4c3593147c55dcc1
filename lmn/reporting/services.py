"""Sending an assortment change's list to each prescribing unit it concerns.

The e-mail goes to the unit's prescribers whose address is verified (CON-3, CON-4) and
holds no patient data: the article, its replacement, how many prescriptions, and a
link into LMN, where the unit's own list names the patients (audited there).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lmn.accounts.contact import needs_email_verification
from lmn.accounts.models import Membership, User
from lmn.audit.services import record, refuse
from lmn.catalog.models import Product
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.notifications.models import Notification
from lmn.notifications.services import queue
from lmn.organisations.models import PrescribingUnit

from .models import ImpactEntry, ImpactNotice
from .queries.impact import affected, changed_articles

ACTION = "reporting.impact.sent"


def verified_prescribers(unit: PrescribingUnit) -> list[User]:
    """The unit's active prescribers and doctors whose e-mail address is verified."""
    ids = Membership.objects.filter(
        unit=unit, active=True, user__is_active=True, role__in=Role.PRESCRIBING
    ).values("user_id")
    today = clock.today()
    users = User.objects.filter(pk__in=ids).exclude(Q(email="")).order_by("pk")
    return [u for u in users if not needs_email_verification(u, today=today)]


def _body(product: Product, count: int, link: str) -> str:
    replacement = product.replaced_by
    lines = [
        _("Hej!"),
        "",
        _("Artikel %(article)s %(name)s ändras i sortimentet.")
        % {"article": product.article_number, "name": product.name},
    ]
    if product.end_date is not None:
        lines.append(_("Sista dag i sortimentet: %(date)s.") % {"date": product.end_date})
    if replacement is not None:
        lines.append(
            _("Föreslagen ersättare: %(article)s %(name)s.")
            % {"article": replacement.article_number, "name": replacement.name}
        )
    lines += [
        "",
        _(
            "Er enhet har %(count)s aktiva förskrivningar av artikeln. "
            "Logga in i LMN för att se och ändra dem:"
        )
        % {"count": count},
        link,
    ]
    return "\n".join(lines)


def send_impact_lists(product_id: int, *, actor: Actor, link: str) -> list[ImpactNotice]:
    """Send each unit with active prescriptions of the changed article its list.

    `link` is the absolute address of the unit's list in the portal. One notice per
    unit records the prescriptions listed, so their change can be followed up.
    """
    if actor.role != Role.ADMIN or actor.user is None:
        refuse(
            ACTION,
            PermissionDenied("ACC-1", _("Bara LMN-administrationen skickar sortimentsbyten.")),
            actor=actor,
        )
    product = changed_articles().filter(pk=product_id).first()
    if product is None:
        refuse(ACTION, NotFound(), actor=actor)
    by_unit: dict[int, list[int]] = {}
    for rx_id, unit_id in affected(product).values_list("pk", "unit_id").order_by("pk"):
        by_unit.setdefault(unit_id, []).append(rx_id)
    if not by_unit:
        refuse(
            ACTION,
            DomainError.single(
                "nothing_to_send", _("Ingen aktiv förskrivning har artikeln. Inget skickades.")
            ),
            actor=actor,
            obj=product,
        )
    notices = []
    with transaction.atomic():
        for unit in PrescribingUnit.objects.filter(pk__in=by_unit).order_by("customer_number"):
            notices.append(_notify_unit(product, unit, by_unit[unit.pk], actor=actor, link=link))
    return notices


def _notify_unit(
    product: Product, unit: PrescribingUnit, prescriptions: list[int], *, actor: Actor, link: str
) -> ImpactNotice:
    recipients = verified_prescribers(unit)
    notice = ImpactNotice.objects.create(
        product=product,
        replacement=product.replaced_by,
        end_date=product.end_date,
        unit=unit,
        sent_at=clock.now(),
        sent_by=actor.user,
        recipients=len(recipients),
    )
    ImpactEntry.objects.bulk_create(
        ImpactEntry(notice=notice, prescription_id=rx_id) for rx_id in prescriptions
    )
    subject = _("Sortimentsbyte: %(article)s %(name)s") % {
        "article": product.article_number,
        "name": product.name,
    }
    body = _body(product, len(prescriptions), link)
    for user in recipients:
        queue(
            channel=Notification.Channel.EMAIL,
            recipient=user.email,
            subject=subject,
            body=body,
            obj=notice,
        )
    record(
        ACTION,
        actor=actor,
        obj=notice,
        data={
            "unit": unit.customer_number,
            "prescriptions": len(prescriptions),
            "recipients": len(recipients),
        },
    )
    return notice
