"""Paper vouchers: the prescriber chooses them on the patient page; customer service
orders with the code from the letter."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lmn.core import clock
from lmn.core.errors import DomainError
from lmn.prescriptions.queries import prescriptions_of
from lmn.vouchers.services import (
    choose_vouchers,
    display_code,
    redeem_voucher,
    voucher_for_code,
    voucher_problem,
)

from ..errors import apply_problems, summary
from ..forms.vouchers import VoucherCodeForm
from .common import actor_of, page_title, visible_patient


@require_POST
def choose(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = visible_patient(request, patient_id)
    raw = request.POST.get("prescription", "")
    prescription = (
        prescriptions_of(patient, actor=actor_of(request)).filter(pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    if prescription is None:  # the patient page offers only the patient's prescriptions
        messages.error(request, _("Välj en av patientens förskrivningar."))
        return redirect("web:patient", patient.pk)
    try:
        choose_vouchers(prescription, actor=actor_of(request))
    except DomainError as error:
        messages.error(request, error.problems[0].message)
    else:
        messages.success(
            request, _("Talonger är valda. Den första skickas som brev till patienten.")
        )
    return redirect("web:patient", patient.pk)


@require_http_methods(["GET", "POST"])
def redeem(request: HttpRequest) -> HttpResponse:
    """Type the code, see what it orders and for whom, then order: two steps, so the
    patient on the phone can confirm before anything is placed."""
    actor = actor_of(request)
    form = VoucherCodeForm(request.POST if request.method == "POST" else None)
    voucher, problem = None, ""
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if request.POST.get("action") == "order":
                w = redeem_voucher(code, actor=actor)
                messages.success(request, _("Beställningen är lagd med talongen."))
                return redirect("web:withdrawal", w.number)
            voucher = voucher_for_code(code, actor=actor)
            problem = voucher_problem(voucher, today=clock.today())
        except DomainError as error:
            apply_problems(error, form, {})
    return render(
        request,
        "web/voucher_redeem.html",
        {
            "form": form,
            "voucher": voucher,
            "code": display_code(voucher.code) if voucher else "",
            "problem": problem,
            "error_items": summary(form),
            "title": page_title(_("Beställ med talong"), form),
        },
    )
