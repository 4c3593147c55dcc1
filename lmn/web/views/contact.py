"""The prescriber's contact details (CON-1), the e-mail verification at login (CON-3) and
information mailings to prescribers (CON-4)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lmn.accounts.contact import (
    needs_email_verification,
    send_email_verification,
    send_information_mailing,
    update_contact_details,
    verify_email,
)
from lmn.core import clock
from lmn.core.errors import DomainError, NotFound
from lmn.organisations.models import PrescribingUnit

from ..errors import apply_problems, shown, summary
from ..forms.contact import ContactDetailsForm, MailingForm
from ..middleware import email_gate_exempt, public
from .common import acting_of, page_title

# the address a link was last sent to in this session: a reload does not send another
_SENT_TO = "lmn_verification_sent_to"


@email_gate_exempt  # a wrong address is corrected here before it can be verified
@require_http_methods(["GET", "POST"])
def edit_contact(request: HttpRequest) -> HttpResponse:
    acting = acting_of(request)
    user = acting.user
    form = ContactDetailsForm(
        request.POST if request.method == "POST" else None,
        initial={"phone": user.phone, "email": user.email},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            update_contact_details(
                user,
                phone=d["phone"],
                phone_is_switchboard=d["phone_is_switchboard"],
                email=d["email"],
                actor=acting.actor,
            )
        except DomainError as error:
            apply_problems(error, form, {})
        else:
            messages.success(request, _("Dina kontaktuppgifter är sparade."))
            return redirect("web:my_page")
    return render(
        request,
        "web/contact_edit.html",
        {
            "form": form,
            "error_items": summary(form),
            "title": page_title(_("Ändra kontaktuppgifter"), form),
        },
    )


@email_gate_exempt
@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest) -> HttpResponse:
    """CON-3: the link goes to the address on file; the portal waits until it is opened."""
    acting = acting_of(request)
    user = acting.user
    if not needs_email_verification(user, today=clock.today()):
        return redirect("web:home")
    sent_to = request.session.get(_SENT_TO)
    if user.email and (request.method == "POST" or sent_to != user.email):
        try:
            send_email_verification(
                user,
                actor=acting.actor,
                link_base=request.build_absolute_uri(reverse("web:verify_email")),
            )
        except (DomainError, NotFound):
            pass  # no address: the page asks for one
        else:
            request.session[_SENT_TO] = user.email
            if request.method == "POST":
                messages.success(
                    request, _("En ny länk är skickad till %(email)s.") % {"email": user.email}
                )
                return redirect("web:confirm_email")
    return render(
        request,
        "web/email_confirm.html",
        {"profile": user, "title": _("Bekräfta din e-postadress")},
    )


@public
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The link in the e-mail. Opening it shows a button; the address is verified on POST,
    so a mail scanner that follows links verifies nothing."""
    token = (request.POST.get("token") or request.GET.get("token") or "")[:1000]
    problem = ""
    if request.method == "POST":
        try:
            user = verify_email(token)
        except DomainError as error:
            problem = shown(error.problems[0].message)
        else:
            request.session.pop(_SENT_TO, None)
            messages.success(
                request, _("Tack! E-postadressen %(email)s är bekräftad.") % {"email": user.email}
            )
            return redirect("web:home")
    elif not token:
        problem = _("Länken är ogiltig.")
    return render(
        request,
        "web/email_verify.html",
        {
            "token": token,
            "problem": problem,
            "title": _("Fel: Bekräfta e-postadress") if problem else _("Bekräfta e-postadress"),
        },
    )


@require_http_methods(["GET", "POST"])
def mailing(request: HttpRequest) -> HttpResponse:
    """CON-4: information by e-mail to the prescribers of chosen areas and units."""
    actor = acting_of(request).actor
    form = MailingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        numbers = form.unit_numbers()[:200]
        units = list(PrescribingUnit.objects.filter(customer_number__in=numbers))
        unknown = sorted(set(numbers) - {u.customer_number for u in units})
        if unknown:
            form.add_error(
                "units", _("Okänt kundnummer: %(numbers)s.") % {"numbers": ", ".join(unknown[:5])}
            )
        else:
            try:
                sent = send_information_mailing(
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    areas=[str(a)[:40] for a in form.cleaned_data["areas"]][:20],
                    units=units,
                    actor=actor,
                )
            except DomainError as error:
                apply_problems(error, form, {})
            else:
                messages.success(
                    request,
                    _("Utskicket ”%(subject)s” skickades till %(n)s förskrivare.")
                    % {"subject": sent.subject, "n": sent.recipients},
                )
                return redirect("web:mailing")
    return render(
        request,
        "web/mailing.html",
        {"form": form, "error_items": summary(form), "title": page_title(_("Utskick"), form)},
    )
