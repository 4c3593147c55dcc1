"""Special housing (SAM-1..SAM-4, AKUT-7, GEN-1): the ward's residents with what each may
withdraw now, and the joint order for several of them in one submit, all or nothing."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lmn.catalog.models import Product
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.organisations.models import PrescribingUnit
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.states import PrescriptionStatus
from lmn.withdrawals.joint import (
    JointOrderDraft,
    JointOrderPreview,
    ResidentLines,
    place_joint_order,
    preview_joint_order,
)
from lmn.withdrawals.queries import joint_order_visible_to
from lmn.withdrawals.services import LineDraft
from lmn.withdrawals.shipment import DAYTIME_WINDOW
from lmn.withdrawals.ward_overview import PrescriptionNow, ResidentOverview, ward_overview

from ..errors import forbidden, shown, summary
from ..forms.fields import quantity_field_name, quantity_prescription_id
from ..forms.ward import JointOrderForm
from .common import actor_of, page_title

_WHERE = re.compile(r"^residents\[(\d+)\](?:\.lines\[(\d+)\])?")
MAX_LINES = 500


def _ward(actor: Actor) -> PrescribingUnit:
    if actor.unit is None:
        raise Http404("Du arbetar inte på en avdelning.")
    ward: PrescribingUnit = actor.unit
    return ward


def _overview(actor: Actor) -> list[ResidentOverview]:
    return ward_overview(_ward(actor), actor=actor, channel="web")


@require_GET
def ward(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    residents = _overview(actor)
    return render(
        request,
        "web/ward.html",
        {
            "ward": actor.unit,
            "residents": residents,
            "may_joint_order": actor.joint_ordering,
            "title": _("Avdelningen"),
        },
    )


def _requested_lines(request: HttpRequest, form: JointOrderForm) -> dict[int, int]:
    """prescription id → quantity: the form's own fields, plus any other quantity posted,
    which the service then refuses by its rules (another ward, nutrition…)."""
    lines: dict[int, int] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        pk = quantity_prescription_id(key)
        if pk is None or len(lines) >= MAX_LINES:
            continue
        if key in form.fields:
            quantity = form.cleaned_data.get(key)
        else:
            quantity = int(value) if value.strip().isdigit() and len(value) < 7 else None
            if quantity is None and value.strip():
                form.add_error(None, _("Ange antalen som heltal."))
        if quantity:
            lines[pk] = quantity
    return lines


@dataclass
class ResidentChoice:
    """One resident on the joint order form: inputs only for what can be ordered now."""

    patient: Patient
    fields: list[tuple[PrescriptionNow, BoundField]]
    later: list[tuple[PrescriptionNow, str]]  # the others, each with when it can be ordered
    open: bool  # shown unfolded: something is entered or wrong


def _not_now(p: PrescriptionNow) -> str:
    if not p.joint_allowed:
        return _("nutrition beställs för sig, inte i sambeställning")
    if p.entitlement.next_possible_date is not None:
        return _("kan beställas från %(date)s") % {
            "date": p.entitlement.next_possible_date.isoformat()
        }
    return _("inga fler uttag på förskrivningen")


def _choices(residents: list[ResidentOverview], form: JointOrderForm) -> list[ResidentChoice]:
    result = []
    for r in residents:
        fields = [
            (p, form[quantity_field_name(p.prescription.pk)])
            for p in r.prescriptions
            if p.joint_orderable_now
        ]
        later = [(p, _not_now(p)) for p in r.prescriptions if not p.joint_orderable_now]
        touched = any(f.errors or (f.value() not in (None, "")) for _p, f in fields)
        result.append(ResidentChoice(r.patient, fields, later, touched))
    return result


@require_http_methods(["GET", "POST"])
def joint_order(request: HttpRequest) -> HttpResponse:
    """The form (inputs only for what can be ordered now), then a summary to confirm.

    A POST without action=place only checks and shows the summary; "Ändra" (action=edit)
    brings the form back with what was entered.
    """
    actor = actor_of(request)
    residents = _overview(actor)
    if not actor.joint_ordering:
        return forbidden(
            request,
            "Sambeställning kräver behörigheten ”Sambeställning – Särskilt boende”.",
        )
    orderable = [
        p.prescription.pk for r in residents for p in r.prescriptions if p.joint_orderable_now
    ]
    post = request.POST if request.method == "POST" else None
    form = JointOrderForm(post, prescription_ids=orderable, initial={"speed": "standard"})
    action = post.get("action", "") if post is not None else ""
    if post is not None and action != "edit" and form.is_valid():
        draft, products = _draft(request, form, actor)
        if draft is not None:
            response = _submit(request, draft, products, form, place=action == "place")
            if response is not None:
                return response
    return _form_page(request, residents, form)


def _submit(
    request: HttpRequest,
    draft: JointOrderDraft,
    products: dict[int, Product],
    form: JointOrderForm,
    *,
    place: bool,
) -> HttpResponse | None:
    """Place the confirmed order, or show the summary to confirm; None: problems are
    on the form."""
    actor = actor_of(request)
    try:
        if place:
            order = place_joint_order(draft, actor=actor)
            messages.success(request, _("Sambeställningen är beställd."))
            return redirect("web:joint_order", number=order.number)
        preview = preview_joint_order(draft, actor=actor)
    except DomainError as error:
        _apply(error, draft.residents, form)
        return None
    return _confirm_page(request, draft, preview, products)


def _draft(
    request: HttpRequest, form: JointOrderForm, actor: Actor
) -> tuple[JointOrderDraft | None, dict[int, Product]]:
    """The joint order the form describes (None with the form's errors added), and the
    product of each prescription in it."""
    lines = _requested_lines(request, form)
    found = {
        rx.pk: rx
        for rx in Prescription.objects.filter(
            pk__in=list(lines),
            patient__in=patients_visible_to(actor),
            status=PrescriptionStatus.ACTIVE,
        ).select_related("patient", "product")
    }
    if set(lines) - set(found):
        form.add_error(None, _("En förskrivning i beställningen finns inte."))
    if form.errors:
        return None, {}
    by_patient: dict[int, ResidentLines] = {}
    for pk, quantity in lines.items():
        rx = found[pk]
        item = by_patient.setdefault(rx.patient_id, ResidentLines(rx.patient, []))
        item.lines.append(LineDraft(prescription_id=pk, quantity=quantity))
    draft = JointOrderDraft(
        ward=_ward(actor),
        residents=list(by_patient.values()),
        speed=str(form.cleaned_data["speed"] or "standard")[:20],
        contact_person=form.cleaned_data["contact_person"],
        phone=form.cleaned_data["phone"],
        idempotency_key=form.cleaned_data["idempotency_key"] or "",
    )
    return draft, {pk: rx.product for pk, rx in found.items()}


def _form_page(
    request: HttpRequest, residents: list[ResidentOverview], form: JointOrderForm
) -> HttpResponse:
    choices = _choices(residents, form)
    return render(
        request,
        "web/joint_order_new.html",
        {
            "ward": actor_of(request).unit,
            "choices": [c for c in choices if c.fields],
            "nothing_now": [c for c in choices if not c.fields],
            "form": form,
            "speed_options": [
                (
                    "standard",
                    _("Samleverans dagtid"),
                    _("Levereras %(window)s till avdelningens anvisade leveransplats.")
                    % {"window": DAYTIME_WINDOW},
                )
            ],
            "current_speed": "standard",
            "error_items": summary(form),
            "title": page_title(_("Sambeställning"), form),
        },
    )


def _confirm_page(
    request: HttpRequest,
    draft: JointOrderDraft,
    preview: JointOrderPreview,
    products: dict[int, Product],
) -> HttpResponse:
    """What goes to whom, where, when and at what extra cost, before it is placed."""
    rows = [
        (
            item.patient,
            [(products[line.prescription_id], line.quantity) for line in item.lines],
            preview.plans[item.patient.pk].fees,
        )
        for item in sorted(draft.residents, key=lambda r: (r.patient.last_name, r.patient.pk))
    ]
    hidden = [
        (quantity_field_name(line.prescription_id), str(line.quantity))
        for item in draft.residents
        for line in item.lines
    ] + [
        ("speed", draft.speed),
        ("contact_person", draft.contact_person),
        ("phone", draft.phone),
        ("idempotency_key", draft.idempotency_key or str(uuid.uuid4())),
    ]
    return render(
        request,
        "web/joint_order_confirm.html",
        {
            "ward": draft.ward,
            "rows": rows,
            "preview": preview,
            "fees_total": sum((fee.amount for _p, _l, fees in rows for fee in fees), Decimal(0)),
            "draft": draft,
            "hidden": hidden,
            "title": _("Kontrollera sambeställningen"),
        },
    )


def _apply(error: DomainError, items: list[ResidentLines], form: JointOrderForm) -> None:
    """Each problem on the quantity field it is about, else for the whole order."""
    for p in error.problems:
        message = shown(p.message)  # the rule's code stays in the audit trail and the API
        target: str | None = None
        match = _WHERE.match(p.field or "")
        if p.field == "speed":
            target = "speed"
        elif match:
            i = int(match.group(1))
            if i < len(items):
                item = items[i]
                j = int(match.group(2)) if match.group(2) is not None else 0
                line = item.lines[j] if j < len(item.lines) else item.lines[0]
                name = quantity_field_name(line.prescription_id)
                if name in form.fields:
                    target = name
                else:
                    message = f"{item.patient.first_name} {item.patient.last_name}: {message}"
        form.add_error(target, message)


@require_GET
def joint_order_detail(request: HttpRequest, number: str) -> HttpResponse:
    read = joint_order_visible_to(actor_of(request), number, channel="web")  # else 404
    order, withdrawals = read.order, read.withdrawals
    return render(
        request,
        "web/joint_order.html",
        {
            "order": order,
            "withdrawals": withdrawals,
            "title": _("Sambeställning %(number)s") % {"number": order.number},
        },
    )
