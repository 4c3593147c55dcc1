"""Access and unit applications (ACC-1, ACC-4, ACC-5, UNIT-3): the head of unit applies,
LMN administration decides from queues, oldest first."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lmn.accounts.applications import (
    AccessApplicationDraft,
    approve_access_application,
    reject_access_application,
    submit_access_application,
    withdraw_access_application,
)
from lmn.accounts.models import AccessApplication, Membership
from lmn.accounts.queries import access_applications_visible_to
from lmn.core.actor import Role
from lmn.core.errors import DomainError
from lmn.core.states import ApplicationStatus
from lmn.organisations.models import PrescribingUnit, UnitApplication
from lmn.organisations.queries import unit_applications_visible_to
from lmn.organisations.services import (
    PayerDraft,
    UnitApplicationDraft,
    approve_unit_application,
    reject_unit_application,
    submit_unit_application,
    withdraw_unit_application,
)

from ..errors import apply_problems, shown, summary
from ..forms.access import (
    ACCESS_KIND_SLUGS,
    ACCESS_KIND_TITLES,
    ROLE_HINTS,
    ROLE_ORDER,
    AccessApplicationForm,
    UnitApplicationForm,
)
from ..forms.decisions import APPLICATION, DecisionForm
from .common import acting_of, actor_of, page_title

RECENT = 20


def headed_units(request: HttpRequest) -> list[PrescribingUnit]:
    """The active units the logged-in head of unit heads (ACC-1)."""
    user = acting_of(request).user
    return list(
        PrescribingUnit.objects.filter(
            memberships__user=user,
            memberships__role=Role.HEAD_OF_UNIT,
            memberships__active=True,
            active=True,
        ).order_by("customer_number")
    )


def _units_named(numbers: list[str]) -> list[PrescribingUnit]:
    """The units by customer number; an unknown number stays an unsaved unit, which the
    service refuses like a unit the head does not head (answers like missing, audited)."""
    found = {
        u.customer_number: u for u in PrescribingUnit.objects.filter(customer_number__in=numbers)
    }
    return [found.get(n) or PrescribingUnit(customer_number=n[:6]) for n in numbers]


# --- head of unit --------------------------------------------------------------------


@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "web/applications.html",
        {
            "access_applications": access_applications_visible_to(actor),
            "unit_applications": unit_applications_visible_to(actor),
            "submitted": ApplicationStatus.SUBMITTED,
            "title": _("Ansökningar"),
        },
    )


@require_http_methods(["GET", "POST"])
def apply_access(request: HttpRequest, kind: str) -> HttpResponse:
    code = ACCESS_KIND_SLUGS.get(kind)
    if code is None:
        raise Http404("Okänd typ av ansökan.")
    actor = actor_of(request)
    units = headed_units(request)
    post = request.POST if request.method == "POST" else None
    form = AccessApplicationForm(
        post, kind=code, units=units, initial={"units": [u.customer_number for u in units[:1]]}
    )
    if post is not None and form.is_valid():
        d = form.cleaned_data
        draft = AccessApplicationDraft(
            kind=code,
            subject_hsa_id=d["subject_hsa_id"].strip(),
            units=_units_named([n[:6] for n in d["units"][:50]]),
            role=str(d.get("role") or "")[:20],
            area_codes=[str(a)[:40] for a in d.get("areas") or []][:20],
            joint_ordering=bool(d.get("joint_ordering")),
            first_name=d.get("first_name", ""),
            last_name=d.get("last_name", ""),
            email=d.get("email", "").strip(),
        )
        try:
            application = submit_access_application(draft, actor=actor)
        except DomainError as error:
            apply_problems(error, form, {"area_codes": "areas", "kind": None})
        else:
            messages.success(
                request,
                _("Ansökan om %(kind)s för %(hsa_id)s är inskickad till LMN-administrationen.")
                % {
                    "kind": application.get_kind_display().lower(),
                    "hsa_id": application.subject_hsa_id,
                },
            )
            return redirect("web:applications")
    title = ACCESS_KIND_TITLES[code]
    return render(
        request,
        "web/access_apply.html",
        {
            "form": form,
            "kind": code,
            "role_options": [(r, Role.LABELS[r], ROLE_HINTS[r]) for r in ROLE_ORDER],
            "current_role": form["role"].value() if "role" in form.fields else "",
            "error_items": summary(form),
            "heading": title,
            "title": page_title(title, form),
        },
    )


@require_POST
def withdraw_access(request: HttpRequest, application_id: int) -> HttpResponse:
    application = AccessApplication.objects.filter(
        pk=application_id, applicant=acting_of(request).user
    ).first()
    if application is None:
        raise Http404("Ansökan hittades inte.")
    try:
        withdraw_access_application(application, actor=actor_of(request))
    except DomainError as error:
        messages.error(request, shown(error.problems[0].message))
    else:
        messages.success(request, _("Ansökan är återkallad."))
    return redirect("web:applications")


def _payers(form: UnitApplicationForm) -> list[PayerDraft]:
    d = form.cleaned_data
    return [
        PayerDraft(
            area_code=code,
            name=d[f"{code}-name"],
            invoice_street=d[f"{code}-invoice_street"],
            invoice_postcode=d[f"{code}-invoice_postcode"],
            invoice_city=d[f"{code}-invoice_city"],
            invoice_reference=d[f"{code}-invoice_reference"],
        )
        for code, _name in form.areas
    ]


@require_http_methods(["GET", "POST"])
def apply_unit(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    post = request.POST if request.method == "POST" else None
    form = UnitApplicationForm(post)
    if post is not None and form.is_valid():
        d = form.cleaned_data
        draft = UnitApplicationDraft(
            name=d["name"],
            kind=d["kind"],
            street=d["street"],
            postcode=d["postcode"],
            city=d["city"],
            payers=_payers(form),
            phone=d["phone"],
            hsa_id=d["hsa_id"],
            delivery_place=d["delivery_place"],
            unit=actor.unit if d["change"] == "change" else None,
        )
        field_map: dict[str, str | None] = {"payers": None}
        for i, (code, _name) in enumerate(form.areas):
            for suffix, *_rest in UnitApplicationForm.PAYER_FIELDS:
                field_map[f"payers[{i}].{suffix}"] = f"{code}-{suffix}"
            field_map[f"payers[{i}].area_code"] = None
        try:
            submit_unit_application(draft, actor=actor)
        except DomainError as error:
            apply_problems(error, form, field_map)
        else:
            messages.success(
                request, _("Ansökan om förskrivande enhet är inskickad till LMN-administrationen.")
            )
            return redirect("web:applications")
    return render(
        request,
        "web/unit_apply.html",
        {
            "form": form,
            "change_options": [
                ("new", _("En ny förskrivande enhet"), ""),
                ("change", _("Ändring av min enhet"), acting_of(request).unit_label),
            ],
            "current_change": form["change"].value() or "new",
            "error_items": summary(form),
            "title": page_title(_("Ansök om förskrivande enhet"), form),
        },
    )


@require_POST
def withdraw_unit(request: HttpRequest, application_id: int) -> HttpResponse:
    application = UnitApplication.objects.filter(
        pk=application_id, applicant=acting_of(request).user
    ).first()
    if application is None:
        raise Http404("Ansökan hittades inte.")
    try:
        withdraw_unit_application(application, actor=actor_of(request))
    except DomainError as error:
        messages.error(request, shown(error.problems[0].message))
    else:
        messages.success(request, _("Ansökan är återkallad."))
    return redirect("web:applications")


# --- LMN administration --------------------------------------------------------------


@require_GET
def access_queue(request: HttpRequest) -> HttpResponse:
    queue = access_applications_visible_to(actor_of(request))
    decided = (
        AccessApplication.objects.exclude(status=ApplicationStatus.SUBMITTED)
        .select_related("applicant")
        .order_by("-decided_at", "-pk")[:RECENT]
    )
    return render(
        request,
        "web/admin_access_queue.html",
        {"queue": queue, "decided": decided, "title": _("Behörighetsansökningar")},
    )


def _decide(
    request: HttpRequest,
    form: DecisionForm,
    approve: Callable[[str], object],
    reject: Callable[[str], object],
) -> str | None:
    """Approve or reject; the Swedish error if refused, else None."""
    if not form.is_valid():
        return None
    try:
        if form.cleaned_data["decision"] == "approve":
            approve(form.cleaned_data["reason"])
        else:
            reject(form.cleaned_data["reason"])
    except DomainError as error:
        apply_problems(error, form, {"status": None})
        return shown(error.problems[0].message)
    return ""


@require_http_methods(["GET", "POST"])
def access_decision(request: HttpRequest, application_id: int) -> HttpResponse:
    application = (
        AccessApplication.objects.select_related("applicant", "subject", "decided_by")
        .prefetch_related("units", "areas")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404("Ansökan hittades inte.")
    actor = actor_of(request)
    form = DecisionForm(request.POST if request.method == "POST" else None, words=APPLICATION)
    if request.method == "POST":
        outcome = _decide(
            request,
            form,
            lambda note: approve_access_application(application, actor=actor, note=note),
            lambda reason: reject_access_application(application, actor=actor, reason=reason),
        )
        if outcome == "":
            application.refresh_from_db()
            messages.success(
                request,
                _("Ansökan är %(status)s.") % {"status": application.get_status_display().lower()},
            )
            return redirect("web:access_decision", application_id=application.pk)
    memberships = (
        Membership.objects.filter(user=application.subject, active=True)
        .select_related("unit")
        .prefetch_related("areas")
        if application.subject_id
        else []
    )
    return render(
        request,
        "web/admin_access_decision.html",
        {
            "application": application,
            "memberships": memberships,
            "form": form,
            "submitted": application.status == ApplicationStatus.SUBMITTED,
            "decision_options": [("approve", _("Bevilja"), ""), ("reject", _("Avslå"), "")],
            "current_decision": form["decision"].value() or "",
            "error_items": summary(form),
            "title": page_title(_("Behörighetsansökan"), form),
        },
    )


@require_GET
def unit_queue(request: HttpRequest) -> HttpResponse:
    queue = unit_applications_visible_to(actor_of(request))
    decided = (
        UnitApplication.objects.exclude(status=ApplicationStatus.SUBMITTED)
        .select_related("unit")
        .order_by("-decided_at", "-pk")[:RECENT]
    )
    return render(
        request,
        "web/admin_unit_queue.html",
        {"queue": queue, "decided": decided, "title": _("Enhetsansökningar")},
    )


@require_http_methods(["GET", "POST"])
def unit_decision(request: HttpRequest, application_id: int) -> HttpResponse:
    application = (
        UnitApplication.objects.select_related(
            "applicant", "applicant_unit", "unit", "care_provider"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404("Ansökan hittades inte.")
    actor = actor_of(request)
    form = DecisionForm(request.POST if request.method == "POST" else None, words=APPLICATION)
    if request.method == "POST":
        outcome = _decide(
            request,
            form,
            lambda note: approve_unit_application(application, actor=actor, note=note),
            lambda reason: reject_unit_application(application, actor=actor, reason=reason),
        )
        if outcome == "":
            application.refresh_from_db()
            text = _("Ansökan är %(status)s.") % {
                "status": application.get_status_display().lower()
            }
            if application.status == ApplicationStatus.APPROVED and application.unit:
                text += " " + _("Kundnummer: %(number)s.") % {
                    "number": application.unit.customer_number
                }
            messages.success(request, text)
            return redirect("web:unit_decision", application_id=application.pk)
    return render(
        request,
        "web/admin_unit_decision.html",
        {
            "application": application,
            "payers": application.payers.select_related("product_area").order_by(
                "product_area__sort_order"
            ),
            "form": form,
            "submitted": application.status == ApplicationStatus.SUBMITTED,
            "approved": application.status == ApplicationStatus.APPROVED,
            "decision_options": [("approve", _("Bevilja"), ""), ("reject", _("Avslå"), "")],
            "current_decision": form["decision"].value() or "",
            "error_items": summary(form),
            "title": page_title(_("Enhetsansökan"), form),
        },
    )
