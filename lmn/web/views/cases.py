"""The prescriber's cases: the digital forms that replace the faxes (CH-1), "my cases",
and completing a case returned for completion (OOA-2)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from lmn.cases.models import Case
from lmn.cases.queries import case_patient, get_case, list_cases
from lmn.cases.services import (
    CaseDraft,
    complete_case,
    submit_case,
    validate_case,
)
from lmn.cases.states import CaseKind, CaseStatus
from lmn.catalog.queries import search_products
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.patients.identifiers import looks_like_lma
from lmn.patients.models import Patient
from lmn.patients.services import find_patient_by_identifier

from ..errors import apply_problems, summary
from ..forms.cases import (
    FIELD_MAP,
    PATIENT_KINDS,
    PATIENT_OPTIONAL_KINDS,
    CaseForm,
    StartCaseForm,
    case_initial,
)
from .common import actor_of, page_title, visible_patient

KIND_INTRO = {
    CaseKind.ASYLUM: (
        gettext_lazy(
            "Första förskrivningen till en asylsökande. Patienten registreras av kundtjänst med "
            "födelsedatum och LMA-nummer, och förskrivningen görs på kundnummer 601628 "
            "(Asylenheten)."
        )
    ),
    CaseKind.WITHOUT_PERMIT: (
        gettext_lazy(
            "Första förskrivningen till en person utan tillstånd. Patienten registreras med "
            "födelsedatum och namnet följt av ” - UT”, på kundnummer 601628 (Asylenheten)."
        )
    ),
    CaseKind.PROTECTED_IDENTITY: (
        gettext_lazy(
            "Förskrivning till en person med skyddade personuppgifter. Ange inga uppgifter om "
            "patienten: din enhet står som mottagare, leveransen går till enheten och "
            "förskrivningen medger ett uttag. Dina egna e-post och telefon används som kontakt."
        )
    ),
    CaseKind.OUT_OF_ASSORTMENT: (
        gettext_lazy(
            "En produkt utanför det upphandlade sortimentet, när sortimentet inte tillgodoser "
            "patientens behov. Längre leveranstid, ingen akutleverans, ingen retur och en extra "
            "kostnad för den betalande enheten."
        )
    ),
    CaseKind.OUTSIDE_REGION: (
        gettext_lazy(
            "Inkontinens- och nutritionsprodukter till en patient som inte är folkbokförd i "
            "Västra Götaland, eller som har samordningsnummer. Kundtjänst registrerar patienten. "
            "Diabetes- och stomiprodukter förskrivs inte här: de förskrivs på hjälpmedelskort "
            "och hämtas på apotek, och hemregionen betalar."
        )
    ),
}


def _products(kind: str, actor: Actor) -> Any:
    products = search_products(areas=actor.areas)
    # outside the assortment only what is not procured; every other form the assortment
    return products.filter(procured=kind != CaseKind.OUT_OF_ASSORTMENT)


def _draft(kind: str, form: CaseForm, patient: Patient | None) -> CaseDraft:
    c = form.cleaned_data
    return CaseDraft(
        kind=kind,
        product=c["product"],
        # a value that did not parse: a harmless default, its form error says the rest
        consumption_amount=c.get("consumption_amount") or 1,
        consumption_period=c.get("consumption_period") or "day",
        instructions=c.get("instructions", ""),
        patient=patient,
        first_name=c.get("first_name", ""),
        last_name=c.get("last_name", ""),
        birth_date=c.get("birth_date"),
        lma_number=c.get("lma_number", ""),
        lma_valid_until=c.get("lma_valid_until"),
        care_cannot_wait=c.get("care_cannot_wait") if "care_cannot_wait" in c else None,
        justification=c.get("justification", ""),
        care_of=c.get("care_of", ""),
        personal_number=c.get("personal_number", ""),
    )


def _visible_case(request: HttpRequest, case_id: int, *, audit_read: bool = True) -> Case:
    return get_case(case_id, actor=actor_of(request), channel="web", audit_read=audit_read)


@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    cases = list_cases(actor=actor, channel="web", limit=100)
    return render(
        request,
        "web/cases.html",
        {
            "cases": cases,
            "title": _("Ärenden till kundtjänst"),
        },
    )


@require_http_methods(["GET", "POST"])
def new_case(request: HttpRequest, kind: str) -> HttpResponse:
    actor = actor_of(request)
    if kind not in CaseKind.values:
        raise Http404("Okänd ärendetyp.")
    patient = None
    if kind in PATIENT_KINDS:
        raw = request.POST.get("patient") or request.GET.get("patient") or ""
        if raw or kind not in PATIENT_OPTIONAL_KINDS:
            # else: a person the register does not give LMN, identified on the form
            if not raw.isdigit() or len(raw) > 18:
                messages.info(request, "Ange patientens personnummer för ärendet.")
                return redirect("web:start_case")
            patient = visible_patient(request, int(raw))
    # "_start": a prefilled start (the LMA number from the search page), not a submission;
    # POST so that the number stays out of URLs and access logs
    starting = request.method == "POST" and "_start" in request.POST
    form = CaseForm(
        request.POST if request.method == "POST" and not starting else None,
        initial=_prefill(kind, request) if starting else None,
        kind=kind,
        products=_products(kind, actor),
        with_patient=patient is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = submit_case(_draft(kind, form, patient), actor=actor)
        except DomainError as error:
            apply_problems(error, form, FIELD_MAP)
        else:
            messages.success(
                request,
                _("Ärendet %(reference)s är skickat till kundtjänst.")
                % {"reference": case.reference},
            )
            return redirect("web:case", case_id=case.pk)
    elif form.is_bound and form.cleaned_data.get("product") is not None:
        # the form has errors: the rules' problems with what did parse go beside them
        problems = validate_case(_draft(kind, form, patient), actor=actor)
        if problems:
            apply_problems(DomainError(*problems), form, FIELD_MAP)
    title = CaseKind(kind).label
    return render(
        request,
        "web/case_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": title,
            "intro": KIND_INTRO[CaseKind(kind)],
            "patient": patient,
            "case": None,
            "error_items": summary(form),
            "title": page_title(_("Nytt ärende: %(kind)s") % {"kind": title}, form),
        },
    )


def _prefill(kind: str, request: HttpRequest) -> dict[str, str]:
    lma = request.POST.get("lma_number", "")[:20]
    return {"lma_number": lma} if kind == CaseKind.ASYLUM and looks_like_lma(lma) else {}


START_ORDER = (CaseKind.ASYLUM, CaseKind.WITHOUT_PERMIT, CaseKind.PROTECTED_IDENTITY)


@require_http_methods(["GET", "POST"])
def start_case(request: HttpRequest) -> HttpResponse:
    """One place to start every kind of case: those that register the patient at once,
    and those about a patient already in LMN after looking the patient up."""
    form = StartCaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = find_patient_by_identifier(
                form.cleaned_data["identifier"], actor=actor_of(request)
            )
        except DomainError as error:
            apply_problems(error, form, {"identifier": "identifier"})
        else:
            if patient is not None:
                url = reverse("web:new_case", args=[form.cleaned_data["kind"]])
                return redirect(f"{url}?patient={patient.pk}")
            form.add_error(
                "identifier",
                _(
                    "Ingen patient hittades med det numret. Är patienten asylsökande, utan "
                    "tillstånd eller har skyddade personuppgifter: välj det ärendet ovan."
                ),
            )
    kind = form["kind"].value() or ""
    return render(
        request,
        "web/case_start.html",
        {
            "form": form,
            "kinds": [(k, CaseKind(k).label, KIND_INTRO[k]) for k in START_ORDER],
            "patient_kinds": [(k, CaseKind(k).label, KIND_INTRO[k]) for k in sorted(PATIENT_KINDS)],
            "current_kind": kind,
            "error_items": summary(form),
            "title": page_title(_("Nytt ärende till kundtjänst"), form),
        },
    )


@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible_case(request, case_id)
    actor = actor_of(request)
    return render(
        request,
        "web/case.html",
        {
            "case": case,
            "patient": case_patient(case, actor),
            "events": list(case.events.order_by("at", "pk")),
            "may_complete": case.status == CaseStatus.RETURNED,
            "backoffice": False,
            "title": _("Ärende %(reference)s") % {"reference": case.reference},
        },
    )


@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, case_id: int) -> HttpResponse:
    """OOA-2: the returned case, with the stated reason, to complete and send again."""
    case = _visible_case(request, case_id)
    actor = actor_of(request)
    if case.status != CaseStatus.RETURNED:
        messages.info(request, "Ärendet väntar inte på komplettering.")
        return redirect("web:case", case_id=case.pk)
    patient = case_patient(case, actor)
    form = CaseForm(
        request.POST if request.method == "POST" else None,
        initial=case_initial(case),
        kind=case.kind,
        products=_products(case.kind, actor),
        with_patient=patient is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            complete_case(case, _draft(case.kind, form, patient), actor=actor)
        except DomainError as error:
            apply_problems(error, form, FIELD_MAP)
        else:
            messages.success(
                request,
                _("Ärendet %(reference)s är kompletterat och skickat.")
                % {"reference": case.reference},
            )
            return redirect("web:case", case_id=case.pk)
    return render(
        request,
        "web/case_form.html",
        {
            "form": form,
            "kind": case.kind,
            "kind_label": case.get_kind_display(),
            "intro": KIND_INTRO[CaseKind(case.kind)],
            "patient": patient,
            "case": case,
            "error_items": summary(form),
            "title": page_title(
                _("Komplettera ärende %(reference)s") % {"reference": case.reference}, form
            ),
        },
    )
