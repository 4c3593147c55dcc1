"""Assortment changes (issue 12): LMN administration sees each changed article's impact
per unit and sends the units their lists; a unit's prescribers open their own list
from the e-mail's link."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from lmn.core.errors import DomainError
from lmn.reporting.queries.impact import changed_articles, impact_for_unit, impact_of
from lmn.reporting.services import send_impact_lists

from .common import actor_of


@require_GET
def changes(request: HttpRequest) -> HttpResponse:
    articles = [impact_of(product.pk) for product in changed_articles()]
    return render(
        request, "web/impact_list.html", {"articles": articles, "title": _("Sortimentsbyten")}
    )


@require_http_methods(["GET", "POST"])
def article(request: HttpRequest, product_id: int) -> HttpResponse:
    impact = impact_of(product_id)  # NotFound: the 404 page
    error_items: list[tuple[str, str]] = []
    if request.method == "POST":
        link = request.build_absolute_uri(reverse("web:unit_impact"))
        try:
            notices = send_impact_lists(product_id, actor=actor_of(request), link=link)
        except DomainError as error:
            error_items = [("", p.message) for p in error.problems]
        else:
            messages.success(
                request,
                ngettext(
                    "Listan är skickad till %(count)d enhet.",
                    "Listorna är skickade till %(count)d enheter.",
                    len(notices),
                )
                % {"count": len(notices)},
            )
            return redirect("web:impact_article", product_id=product_id)
    title = _("Sortimentsbyte")
    return render(
        request,
        "web/impact_article.html",
        {
            "impact": impact,
            "error_items": error_items,
            "title": _("Fel: %(title)s") % {"title": title} if error_items else title,
        },
    )


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    """The unit's prescriptions of changed articles, with patients (audited)."""
    return render(
        request,
        "web/unit_impact.html",
        {"articles": impact_for_unit(actor_of(request)), "title": _("Sortimentsbyten")},
    )
