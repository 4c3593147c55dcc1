"""Min sida: the user's contact details and the withdrawal overview (CON-1, SKYDD-10)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lmn.audit.services import record
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.queries import withdrawals_visible_to

from ..errors import summary
from ..forms.patients import WithdrawalNumberForm
from .common import acting_of, page_title

LATEST = 10


@require_GET
def my_page(request: HttpRequest) -> HttpResponse:
    acting = acting_of(request)
    actor = acting.actor
    # the overview covers the unit's own withdrawals: those it ordered or prescribed
    own = withdrawals_visible_to(actor).filter(
        Q(ordering_unit=actor.unit) | Q(lines__prescription__unit=actor.unit)
    )
    form = WithdrawalNumberForm(request.GET if "number" in request.GET else None)
    found: Withdrawal | None = None
    searched = False
    if form.is_bound and form.is_valid():
        searched = True
        found = (
            own.filter(number=form.cleaned_data["number"])
            .prefetch_related("lines__product")
            .distinct()
            .first()
        )
        if found is not None:
            record(
                "withdrawals.withdrawal.read",
                actor=actor,
                patient=found.patient,
                obj=found,
                channel="web",
            )
    latest = (
        withdrawals_visible_to(actor)
        .filter(ordered_by=acting.user)
        .prefetch_related("lines__product")
        .order_by("-placed_at")[:LATEST]
    )
    return render(
        request,
        "web/my_page.html",
        {
            "profile": acting.user,
            "form": form,
            "found": found,
            "searched": searched,
            "latest": latest,
            "error_items": summary(form),
            "title": page_title(_("Min sida"), form),
        },
    )
