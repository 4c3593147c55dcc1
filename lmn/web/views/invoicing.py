"""LMN administration's invoicing (INV-1..INV-4) and price lists: start a run, list the
invoices, download them as issued, credit them, import a price list with progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lmn.catalog.jobs import import_price_list
from lmn.catalog.models import PriceImport
from lmn.catalog.services import start_price_import
from lmn.core.errors import DomainError, NotFound
from lmn.invoicing.formats import csv as invoice_csv
from lmn.invoicing.queries import (
    invoice_for,
    invoices_visible_to,
    left_to_credit,
    runs_visible_to,
)
from lmn.invoicing.services.credit import credit_invoice
from lmn.invoicing.services.run import run_invoicing

from ..errors import apply_problems, summary
from ..forms.invoicing import CreditForm, PriceListForm, RunForm
from .common import actor_of, is_htmx, page_title

LISTED = 100


@require_http_methods(["GET", "POST"])
def invoicing(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    post = request.POST if request.method == "POST" else None
    form = RunForm(post)
    if post is not None and form.is_valid():
        try:
            period = dt.date.fromisoformat(form.cleaned_data["month"].strip() + "-01")
        except ValueError:
            form.add_error("month", _("Skriv månaden som ÅÅÅÅ-MM, till exempel 2026-10."))
        else:
            try:
                run = run_invoicing(period, actor=actor)
            except DomainError as error:
                apply_problems(error, form, {"period": "month"})
            else:
                messages.success(
                    request,
                    _("Körningen är klar: %(issued)s fakturor skapade.") % {"issued": run.issued},
                )
                return redirect("web:invoicing")
    title = _("Fakturering")
    return render(
        request,
        "web/invoicing.html",
        {
            "form": form,
            "error_items": summary(form),
            "invoices": invoices_visible_to(actor)[:LISTED],
            "runs": runs_visible_to(actor)[:5],
            "title": page_title(title, form),
        },
    )


@require_http_methods(["GET", "POST"])
def invoice(request: HttpRequest, invoice_id: int) -> HttpResponse:
    actor = actor_of(request)
    found = invoice_for(actor, invoice_id)
    post = request.POST if request.method == "POST" else None
    form = CreditForm(post)
    if post is not None and form.is_valid() and not found.is_credit_note:
        d = form.cleaned_data
        if d["whole"]:
            quantities = left_to_credit(found)
        else:
            left = left_to_credit(found, d["position"])
            quantities = {pk: Decimal(d["quantity"]) for pk in left} or {0: Decimal(d["quantity"])}
        try:
            note = credit_invoice(found, quantities, reason=d["reason"], actor=actor)
        except DomainError as error:
            apply_problems(error, form, {"lines": "position", "reason": "reason"})
            for problem in error.problems:
                if (problem.field or "").startswith("line_"):
                    form.add_error("quantity", problem.message)
        else:
            messages.success(
                request, _("Kreditnota %(number)s är skapad.") % {"number": note.number}
            )
            return redirect("web:invoice", invoice_id=note.pk)
    return render(
        request,
        "web/invoice.html",
        {
            "invoice": found,
            "lines": found.lines.order_by("position")[:200],
            "credit_notes": found.credit_notes.order_by("number"),
            "form": form,
            "error_items": summary(form),
            "title": page_title(f"{found.get_kind_display()} {found.number}", form),
        },
    )


@require_GET
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    found = invoice_for(actor_of(request), invoice_id, documents=True)
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="faktura-{found.number}.pdf"'
    return response


@require_GET
def invoice_ubl(request: HttpRequest, invoice_id: int) -> HttpResponse:
    found = invoice_for(actor_of(request), invoice_id, documents=True)
    if not found.ubl:
        raise NotFound
    response = HttpResponse(bytes(found.ubl), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="faktura-{found.number}.xml"'
    return response


@require_GET
def invoice_csv_lines(request: HttpRequest, invoice_id: int) -> StreamingHttpResponse:
    found = invoice_for(actor_of(request), invoice_id)
    response = StreamingHttpResponse(invoice_csv.rows(found), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="faktura-{found.number}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def price_lists(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    post = request.POST if request.method == "POST" else None
    form = PriceListForm(post, request.FILES if post is not None else None)
    if post is not None and form.is_valid():
        upload = form.cleaned_data["file"]
        made = start_price_import(upload.name, upload.read(), actor=actor)
        import_price_list.enqueue(made.pk)
        return redirect("web:price_list", import_id=made.pk)
    return render(
        request,
        "web/price_lists.html",
        {
            "form": form,
            "error_items": summary(form),
            "imports": PriceImport.objects.defer("content")[:20],
            "title": page_title(_("Prislistor"), form),
        },
    )


@require_GET
def price_list(request: HttpRequest, import_id: int) -> HttpResponse:
    found = PriceImport.objects.defer("content").filter(pk=import_id).first()
    if found is None:
        raise NotFound
    context = {"job": found, "title": _("Inläsning av %(name)s") % {"name": found.file_name}}
    if is_htmx(request):
        return render(request, "web/price_list.html#progress", context)
    return render(request, "web/price_list.html", context)
