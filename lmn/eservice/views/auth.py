"""Logging in to the e-service, choosing whom to act for, the language, logging out."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lmn.audit.services import record
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError
from lmn.patients.identifiers import parse_personal_number
from lmn.representation.queries import person_hsa_id, represented_by

from .. import acting
from ..training import training_people

# one message for every refusal, so that it reveals nothing about why (EPAT-1)
REFUSED = _(
    "Du kan inte använda e-tjänsten för läkemedelsnära produkter. Kontakta din vårdenhet "
    "eller kundtjänst, så hjälper de dig att beställa."
)


class TrainingLoginForm(forms.Form):
    identifier = forms.CharField(label=_("Personnummer"), max_length=13)


def login(request: HttpRequest) -> HttpResponse:
    """In training: log in as a training person. In production the region's
    e-identification (BankID, Freja) answers here instead (see README)."""
    form = TrainingLoginForm(request.POST or None)
    if not settings.TRAINING_MODE:
        return render(request, "eservice/login.html", {"form": None, "people": []})
    if request.method == "POST" and form.is_valid():
        try:
            pnr = parse_personal_number(form.cleaned_data["identifier"], field="identifier")
        except DomainError as bad:
            form.add_error("identifier", bad.problems[0].message)
        else:
            acting.log_in(request, pnr.canonical)
            return HttpResponseRedirect(reverse("eservice:choose"))
    people = training_people()
    return render(request, "eservice/login.html", {"form": form, "people": people})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return HttpResponseRedirect(reverse("eservice:login"))


def choose(request: HttpRequest) -> HttpResponse:
    """Whom the person acts for: themselves, a child, or someone who gave a power."""
    people = represented_by(acting.identity(request))
    if request.method == "POST":
        wanted = request.POST.get("patient", "")
        chosen = next((r for r in people if str(r.patient.pk) == wanted), None)
        if chosen is not None:
            acting.act_for(request, chosen.patient.pk)
            return HttpResponseRedirect(reverse("eservice:products"))
    if len(people) == 1 and request.method == "GET":
        acting.act_for(request, people[0].patient.pk)
        return HttpResponseRedirect(reverse("eservice:products"))
    if not people:
        return render(request, "eservice/refused.html", {"message": REFUSED}, status=403)
    # the names shown are patient data: the read is audited, by whom and of whom
    record(
        "eservice.representation.read",
        actor=Actor(role=Role.PATIENT, hsa_id=person_hsa_id(acting.identity(request))),
        channel=acting.CHANNEL,
        data={"patients": [r.patient.pk for r in people]},
    )
    return render(request, "eservice/choose.html", {"people": people})


@require_POST
def language(request: HttpRequest) -> HttpResponseBase:
    """Switch the language (Swedish or English); back to the page the switch was on."""
    code = request.POST.get("language", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("eservice:login")
    response = HttpResponseRedirect(back)
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


_STATE, _NONCE = "eservice_oidc_state", "eservice_oidc_nonce"


def eid_start(request: HttpRequest) -> HttpResponseBase:
    """Send the browser to the region's e-identification (production)."""
    if not settings.ESERVICE_OIDC_ENABLED:
        return acting.not_found(request)
    from ..oidc import authorization_url

    url, state, nonce = authorization_url(
        redirect_uri=request.build_absolute_uri(reverse("eservice:eid_callback"))
    )
    request.session[_STATE], request.session[_NONCE] = state, nonce
    return HttpResponseRedirect(url)


def eid_callback(request: HttpRequest) -> HttpResponseBase:
    """The provider's answer: the personnummer claim logs the person in, or nothing does."""
    if not settings.ESERVICE_OIDC_ENABLED:
        return acting.not_found(request)
    from ..oidc import PatientOidc

    state = request.session.pop(_STATE, None)
    nonce = request.session.pop(_NONCE, "")
    code = request.GET.get("code", "")
    identifier = None
    if state and code and request.GET.get("state") == state:
        identifier = PatientOidc().identity(
            code=code,
            nonce=nonce,
            redirect_uri=request.build_absolute_uri(reverse("eservice:eid_callback")),
        )
    if identifier is None:
        return render(request, "eservice/refused.html", {"message": REFUSED}, status=403)
    acting.log_in(request, identifier)
    return HttpResponseRedirect(reverse("eservice:choose"))
