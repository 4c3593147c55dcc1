"""The auditor's log follow-up (PDL-3) and the patient's log extract (PDL-4).

The auditor reads accesses here, never patients' records; the selection, its checks
and its audit are in lmn.logreview."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from weasyprint import HTML

from lmn.audit.services import record
from lmn.core.errors import DomainError
from lmn.logreview.extract import ExtractRow, log_extract_for, rows_for
from lmn.logreview.followup import reviews_of
from lmn.logreview.selection import Result, Selection, select
from lmn.logreview.services import mark_reviewed
from lmn.patients.models import Patient

from ..errors import apply_problems, summary
from ..forms.logreview import VIEW_CHOICES, FollowUpForm, ReviewForm
from .common import actor_of, page_title, safe_next, visible_patient


def _selection(form: FollowUpForm) -> Selection:
    c = form.cleaned_data
    return Selection(
        view=c["view"],
        identifier=c["identifier"] or "",
        hsa_id=c["hsa_id"] or "",
        unit=c["unit"] or "",
        month=c["month"] or "",
        since=c["since"],
        until=c["until"],
    )


def _patient_label(patient_id: int | None, patients: dict[int, Patient]) -> str:
    p = patients.get(patient_id or 0)
    if p is None:
        return ""
    return _("Skyddade personuppgifter") if p.protected else p.identifier_display


def _table(result: Result) -> list[dict[str, Any]]:
    rows = rows_for(result.events)
    marks = reviews_of(r.event_id for r in rows)
    ids = {e.patient_id for e in result.events if e.patient_id}
    patients = {p.pk: p for p in Patient.objects.filter(pk__in=ids)}
    by_id = {e.pk: e for e in result.events}
    return [
        {
            "row": row,
            "patient": _patient_label(by_id[row.event_id].patient_id, patients),
            "review": marks.get(row.event_id),
        }
        for row in rows
    ]


@require_GET
def follow_up(request: HttpRequest) -> HttpResponse:
    form = FollowUpForm(request.GET if "view" in request.GET else None)
    result, table = None, []
    if form.is_bound and form.is_valid():
        try:
            result = select(_selection(form), actor=actor_of(request), channel="portal")
        except DomainError as error:
            apply_problems(error, form, {"since": "since"})
        else:
            table = _table(result)
            export = request.GET.get("export")
            if export == "csv":
                return _csv(table, result)
            if export == "pdf":
                return _pdf("logreview/followup_pdf.html", {"table": table, "result": result})
    return render(
        request,
        "web/followup.html",
        {
            "form": form,
            "view_options": [(v, label, "") for v, label in VIEW_CHOICES],
            "current_view": form["view"].value() or "",
            "result": result,
            "table": table,
            "query": request.GET.urlencode(),
            "review_form": ReviewForm(),
            "error_items": summary(form),
            "title": page_title(_("Loggranskning"), form),
        },
    )


def _csv(table: list[dict[str, Any]], result: Result) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    if result.volumes:
        writer.writerow([_("HSA-id"), _("Antal patienter"), _("Median")])
        writer.writerows([v.hsa_id, v.patients, v.median] for v in result.volumes)
    writer.writerow(
        [
            _("Tid"),
            _("Användare"),
            _("Titel"),
            _("Enhet"),
            _("Vårdgivare"),
            _("Patient"),
            _("Åtgärd"),
            _("Granskad"),
            _("Kommentar"),
        ]
    )
    for item in table:
        row: ExtractRow = item["row"]
        review = item["review"]
        reviewed = [review.reviewed_at.date(), review.comment] if review else ["", ""]
        who = [row.at.isoformat(), row.who, row.title, row.unit, row.care_provider]
        writer.writerow([*who, item["patient"], row.what, *reviewed])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="loggranskning.csv"'
    return response


def _pdf(template: str, context: dict[str, Any], name: str = "loggranskning.pdf") -> HttpResponse:
    pdf = HTML(string=render_to_string(template, context)).write_pdf()
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["POST"])
def review(request: HttpRequest, event_id: int) -> HttpResponse:
    form = ReviewForm(request.POST)
    back = safe_next(request, reverse("web:log_follow_up"))
    if form.is_valid():
        try:
            mark_reviewed(
                event_id,
                comment=form.cleaned_data["comment"] or "",
                actor=actor_of(request),
                channel="portal",
            )
        except DomainError as error:
            messages.error(request, error.problems[0].message)
        else:
            messages.success(request, _("Åtkomsten är markerad som granskad."))
    return HttpResponseRedirect(back)


def _extract(request: HttpRequest, patient: Patient) -> HttpResponse:
    rows = log_extract_for(patient)
    record(
        "logreview.extract.produced",
        actor=actor_of(request),
        patient=patient,
        channel="portal",
        data={"rows": len(rows)},
    )
    return _pdf(
        "logreview/extract_pdf.html",
        {"patient": patient, "rows": rows},
        name="logutdrag.pdf",
    )


@require_GET
def extract_for_customer_service(request: HttpRequest, patient_id: int) -> HttpResponse:
    """PDL-4: customer service produces the extract the patient asked for."""
    return _extract(request, visible_patient(request, patient_id))


@require_GET
def extract_for_auditor(request: HttpRequest) -> HttpResponse:
    """PDL-4: the auditor produces the extract, protected identities' included."""
    form = FollowUpForm({"view": "patient", "identifier": request.GET.get("identifier", "")})
    if not form.is_valid():
        messages.error(request, _("Ange ett personnummer, t.ex. 19121212-1212."))
        return redirect("web:log_follow_up")
    try:
        result = select(_selection(form), actor=actor_of(request), channel="portal")
    except DomainError as error:
        messages.error(request, error.problems[0].message)
        return redirect("web:log_follow_up")
    assert result.patient is not None
    return _extract(request, result.patient)
