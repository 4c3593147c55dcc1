"""Powers of attorney the patient gives and revokes, and what proxies did (EPAT-2)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lmn.audit.services import record
from lmn.core.errors import DomainError
from lmn.representation.queries import powers_given_by, proxy_actions
from lmn.representation.services import PowerDraft, grant_power, revoke_power

from ..acting import CHANNEL
from ..forms import PowerForm
from .pages import _actor

ACTIONS = {
    "withdrawals.withdrawal.placed": gettext_lazy("Beställde"),
    "withdrawals.withdrawal.read": gettext_lazy("Tittade på en beställning"),
    "withdrawals.withdrawal.cancelled": gettext_lazy("Makulerade en beställning"),
    "withdrawals.withdrawal.status_changed": gettext_lazy("Ändrade en beställning"),
    "eservice.products.read": gettext_lazy("Tittade på dina produkter"),
    "eservice.orders.read": gettext_lazy("Tittade på dina beställningar"),
    "delivery.preference.saved": gettext_lazy("Sparade leveransuppgifter"),
}


def powers(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = PowerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        draft = PowerDraft(d["holder_identifier"], d["holder_name"], d["scope"], d["valid_until"])
        try:
            grant_power(actor.acting_for, draft, actor=actor)
        except DomainError as refused:
            for p in refused.problems:
                form.add_error(p.field if p.field in form.fields else None, p.message)
        else:
            request.session["eservice_notice"] = _("Fullmakten är registrerad.")
            return HttpResponseRedirect(reverse("eservice:powers"))
    rows = list(powers_given_by(actor.acting_for))
    record("representation.powers.read", actor=actor, patient=actor.acting_for, channel=CHANNEL)
    # a form with its problems answers 200, as the portal's forms do
    return render(request, "eservice/powers.html", {"form": form, "powers": rows})


@require_POST
def revoke(request: HttpRequest, power_id: int) -> HttpResponse:
    actor = _actor(request)
    revoke_power(power_id, patient=actor.acting_for, actor=actor)
    request.session["eservice_notice"] = _("Fullmakten är återkallad.")
    return HttpResponseRedirect(reverse("eservice:powers"))


def activity(request: HttpRequest) -> HttpResponse:
    """ "Vem har gjort vad": every action a proxy took for the patient."""
    actor = _actor(request)
    rows = [
        (a.at, str(ACTIONS.get(a.action, _("Annan åtgärd"))), a.who)
        for a in proxy_actions(actor=actor)
    ]
    return render(request, "eservice/activity.html", {"rows": rows})
