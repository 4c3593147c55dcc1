"""Customer service's back office: the work queue of cases, deciding a case, identity
conversion (ASYL-7, UT-6), the follow-ups of products outside the assortment (OOA-3), of
withdrawals held for a newly protected patient (SKYDD-7, SKYDD-5) and of a death.

E-mail to the prescriber about every decision is the domain's (CON-4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lmn.cases.conversion import ALLOWED, NewIdentity, convert_identity
from lmn.cases.followups import decide_held_delivery, log_contact, open_follow_ups
from lmn.cases.models import Case, ContactLog, FollowUp
from lmn.cases.queries import case_patient, get_case, list_cases
from lmn.cases.services import (
    approve_case,
    reject_case,
    return_case,
)
from lmn.cases.states import OPEN_FOR_DECISION, CaseKind
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to

from ..errors import apply_problems, summary
from ..forms.cases import ContactLogForm, ConversionForm, HeldDeliveryForm
from ..forms.decisions import CASE, DecisionForm
from .common import actor_of, page_title, visible_patient


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("typ", "")
    if kind not in CaseKind.values:
        kind = ""
    cases = list_cases(actor=actor_of(request), kind=kind or None, channel="web")
    today = clock.today()
    rows = [(c, (today - c.submitted_at.astimezone(clock.STOCKHOLM).date()).days) for c in cases]
    return render(
        request,
        "web/backoffice_queue.html",
        {
            "rows": rows,
            "kinds": CaseKind.choices,
            "kind": kind,
            "title": _("Arbetskö – ärenden"),
        },
    )


def _case(request: HttpRequest, case_id: int) -> Case:
    return get_case(case_id, actor=actor_of(request), channel="web")


def _case_page(request: HttpRequest, case: Case, form: DecisionForm) -> HttpResponse:
    return render(
        request,
        "web/case.html",
        {
            "case": case,
            "patient": case_patient(case, actor_of(request)),
            "events": list(case.events.order_by("at", "pk")),
            "backoffice": True,
            "open": case.status in OPEN_FOR_DECISION,
            "form": form,
            "decision_options": [(v, label, "") for v, label in form.fields["decision"].choices],  # type: ignore[attr-defined]
            "current_decision": form["decision"].value() or "",
            "error_items": summary(form),
            "title": page_title(_("Ärende %(reference)s") % {"reference": case.reference}, form),
        },
    )


@require_GET
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, _case(request, case_id), DecisionForm(words=CASE))


@require_POST
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    actor = actor_of(request)
    form = DecisionForm(request.POST, words=CASE)
    if form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "approve":
                approve_case(case, actor=actor, note=reason)
            elif decision == "return":
                return_case(case, reason=reason, actor=actor)
            else:
                reject_case(case, reason=reason, actor=actor)
        except DomainError as error:
            apply_problems(error, form, {"status": None, "lma_number": None})
            case.refresh_from_db()
        else:
            messages.success(
                request,
                _("Beslutet om ärende %(reference)s är sparat.") % {"reference": case.reference},
            )
            return redirect("web:backoffice")
    return _case_page(request, case, form)


@require_http_methods(["GET", "POST"])
def conversion(request: HttpRequest, patient_id: int) -> HttpResponse:
    """ASYL-7, UT-6: move the whole history to the new identity, in one transaction."""
    patient = visible_patient(request, patient_id)
    actor = actor_of(request)
    form = ConversionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            target = convert_identity(
                patient,
                NewIdentity(
                    kind=c["kind"],
                    identifier=c["identifier"],
                    first_name=c["first_name"],
                    last_name=c["last_name"],
                    lma_valid_until=c["lma_valid_until"],
                ),
                actor=actor,
            )
        except DomainError as error:
            apply_problems(error, form, {"birth_date": None})
        else:
            messages.success(
                request, _("Identiteten är konverterad. Förskrivningar och uttag har flyttats.")
            )
            return redirect("web:patient", patient_id=target.pk)
    return render(
        request,
        "web/conversion.html",
        {
            "patient": patient,
            "convertible": patient.identity_kind in ALLOWED,
            "form": form,
            "kind_options": [(v, label, "") for v, label in form.fields["kind"].choices],  # type: ignore[attr-defined]
            "current_kind": form["kind"].value() or "",
            "error_items": summary(form),
            "title": page_title(_("Konvertera identitet"), form),
        },
    )


DECISION_OPTIONS = [
    (value, label, "")
    for value, label in HeldDeliveryForm.base_fields["decision"].choices  # type: ignore[attr-defined]
]


@dataclass
class _FollowUpRow:
    item: FollowUp
    patient: Patient | None  # None for a protected patient: contact goes via the unit
    contacts: list[ContactLog]
    form: ContactLogForm
    unit: Any  # the prescribing unit and prescriber to contact
    prescriber: Any
    decision: HeldDeliveryForm | None  # the unit's decision, while a withdrawal is held


def _follow_up_rows(
    request: HttpRequest,
    bound: ContactLogForm | HeldDeliveryForm | None = None,
    bound_id: int | None = None,
) -> list[_FollowUpRow]:
    """Each open follow-up with its patient (if visible), the unit and prescriber to
    contact, contacts so far, a contact form and, for a held withdrawal, a decision form."""
    actor = actor_of(request)
    items = open_follow_ups(actor=actor)
    visible = set(
        patients_visible_to(actor)
        .filter(pk__in=[f.withdrawal.patient_id for f in items])
        .values_list("pk", flat=True)
    )
    rows = []
    for item in items:
        w = item.withdrawal
        line = w.lines.select_related("prescription__unit", "prescription__prescriber").first()
        contact_form = bound if isinstance(bound, ContactLogForm) and item.pk == bound_id else None
        decision = None
        if item.kind == FollowUp.Kind.PROTECTED_HOLD and w.is_held:
            decision = (
                bound
                if isinstance(bound, HeldDeliveryForm) and item.pk == bound_id
                else HeldDeliveryForm(prefix=f"d{item.pk}")
            )
        rows.append(
            _FollowUpRow(
                item=item,
                patient=w.patient if w.patient_id in visible else None,
                contacts=list(item.contacts.order_by("at", "pk")),
                form=contact_form or ContactLogForm(prefix=f"f{item.pk}"),
                unit=line.prescription.unit if line else None,
                prescriber=line.prescription.prescriber if line else None,
                decision=decision,
            )
        )
    return rows


@require_GET
def follow_ups(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/follow_ups.html",
        {
            "rows": _follow_up_rows(request),
            "decision_options": DECISION_OPTIONS,
            "title": _("Uppföljningar"),
        },
    )


def _open_follow_up(actor: Actor, follow_up_id: int) -> FollowUp:
    """One of the actor's open follow-ups, else 404."""
    follow_up = next((f for f in open_follow_ups(actor=actor) if f.pk == follow_up_id), None)
    if follow_up is None:
        raise Http404("Uppföljningen hittades inte.")
    return follow_up


def _follow_ups_with_errors(
    request: HttpRequest, form: ContactLogForm | HeldDeliveryForm, follow_up_id: int
) -> HttpResponse:
    """The follow-up list again, with the form's problems at the row it was sent from."""
    return render(
        request,
        "web/follow_ups.html",
        {
            "rows": _follow_up_rows(request, form, follow_up_id),
            "decision_options": DECISION_OPTIONS,
            "error_items": summary(form),
            "title": page_title(_("Uppföljningar"), form),
        },
    )


@require_POST
def held_delivery(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """SKYDD-5, SKYDD-7: record the unit's decision on a held withdrawal."""
    actor = actor_of(request)
    follow_up = _open_follow_up(actor, follow_up_id)
    form = HeldDeliveryForm(request.POST, prefix=f"d{follow_up.pk}")
    if form.is_valid():
        try:
            decide_held_delivery(
                follow_up,
                decision=form.cleaned_data["decision"],
                care_of=form.cleaned_data["care_of"],
                actor=actor,
            )
        except DomainError as error:
            apply_problems(error, form, {"withdrawal": None})
        else:
            number = follow_up.withdrawal.number
            messages.success(
                request, _("Beslutet för uttag %(number)s är sparat.") % {"number": number}
            )
            return redirect("web:follow_ups")
    return _follow_ups_with_errors(request, form, follow_up.pk)


@require_POST
def contact(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """OOA-3: log a contact with the prescriber or the patient."""
    actor = actor_of(request)
    follow_up = _open_follow_up(actor, follow_up_id)
    form = ContactLogForm(request.POST, prefix=f"f{follow_up.pk}")
    if form.is_valid():
        try:
            log_contact(
                follow_up,
                party=form.cleaned_data["party"],
                channel=form.cleaned_data["channel"],
                note=form.cleaned_data["note"],
                actor=actor,
            )
        except DomainError as error:
            apply_problems(error, form, {})
        else:
            messages.success(request, _("Kontakten är loggad."))
            return redirect("web:follow_ups")
    return _follow_ups_with_errors(request, form, follow_up.pk)
