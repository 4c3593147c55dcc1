"""A prescriber's work around prescriptions: moves to accept (RX-4), the work lists and
favourites (templates)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lmn.catalog.models import Product
from lmn.core.errors import DomainError
from lmn.prescriptions import worklists
from lmn.prescriptions.moves import accept_move, decline_move, incoming_moves, move_visible_to
from lmn.prescriptions.templates import (
    TemplateDraft,
    add_template,
    remove_template,
    template_of,
    templates_for,
)

from ..errors import apply_problems, summary
from ..forms.prescription_life import TemplateForm
from .common import actor_of, page_title

TEMPLATE_FIELDS = {
    "consumption.amount": "consumption_amount",
    "consumption.per": "consumption_period",
}


@require_GET
def moves_inbox(request: HttpRequest) -> HttpResponse:
    """Prescriptions other units ask this unit to take over (RX-4)."""
    moves = incoming_moves(actor_of(request))
    return render(
        request, "web/moves_inbox.html", {"moves": moves, "title": _("Flyttar att ta emot")}
    )


@require_POST
def decide_move(request: HttpRequest, move_id: int, verb: str) -> HttpResponse:
    actor = actor_of(request)
    found = move_visible_to(actor, move_id)
    try:
        if verb == "accept":
            accept_move(found, actor=actor)
            messages.success(request, _("Förskrivningen tillhör nu din enhet."))
        elif verb == "decline":
            decline_move(found, actor=actor)
            messages.info(request, _("Flytten är avböjd."))
    except DomainError as error:
        for problem in error.problems:
            messages.error(request, problem.message)
    return redirect("web:moves_inbox")


@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    scope = worklists.UNIT if request.GET.get("scope") == worklists.UNIT else worklists.MINE
    lists = worklists.work_lists(actor_of(request), scope)
    return render(
        request,
        "web/worklist.html",
        {"lists": lists, "scope": scope, "title": _("Arbetslista")},
    )


@require_http_methods(["GET", "POST"])
def favourites(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = TemplateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        product = (
            Product.objects.select_related("area")
            .filter(article_number=c["article_number"])
            .first()
        )
        if product is None:
            form.add_error("article_number", _("Det finns ingen produkt med det artikelnumret."))
        else:
            try:
                add_template(
                    TemplateDraft(
                        product=product,
                        consumption_amount=c["consumption_amount"],
                        consumption_period=c["consumption_period"],
                        instructions=c["instructions"] or "",
                        for_unit=c["for_unit"],
                    ),
                    actor=actor,
                )
            except DomainError as error:
                apply_problems(error, form, TEMPLATE_FIELDS)
            else:
                messages.success(request, _("Favoriten är sparad."))
                return redirect("web:favourites")
    return render(
        request,
        "web/favourites.html",
        {
            "templates": templates_for(actor),
            "form": form,
            "error_items": summary(form),
            "title": page_title(_("Favoriter"), form),
        },
    )


@require_POST
def remove_favourite(request: HttpRequest, template_id: int) -> HttpResponse:
    actor = actor_of(request)
    remove_template(template_of(actor, template_id), actor=actor)
    messages.info(request, _("Favoriten är borttagen."))
    return redirect("web:favourites")
