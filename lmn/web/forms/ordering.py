"""Ordering a withdrawal and changing its delivery: quantities and delivery details.

The change form has the same fields, labels and messages as the ordering form's delivery
part, without the speed (it stays as ordered) and without an idempotency key (the same
details again change nothing).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lmn.delivery.details import DeliveryRequest, Destination, NotifyBy, Speed, is_same_address
from lmn.delivery.rules import ORDERABLE_DESTINATIONS
from lmn.patients.models import Patient
from lmn.withdrawals.models import Withdrawal

from .fields import (
    TextField,
    TextInput,
    quantity_field,
    quantity_field_name,
    quantity_prescription_id,
)

NOTIFY_LABELS = {NotifyBy.SMS: _("Sms"), NotifyBy.EMAIL: _("E-post"), NotifyBy.LETTER: _("Brev")}


class DeliveryForm(forms.Form):
    """Where and how fast (independent choices, as in the API) and the details at the door.

    The speed choices are only those the actor may order for these products (see
    `delivery.rules.speed_options`); the domain checks them again when previewing and placing.
    """

    destination = forms.ChoiceField(
        label=_("Leveranssätt"),
        required=False,
        choices=[(d, Destination.LABELS[d]) for d in ORDERABLE_DESTINATIONS],
        initial=Destination.DOOR,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Välj hemleverans eller utlämningsställe.")},
    )
    speed = forms.ChoiceField(
        label=_("Leveranshastighet"),
        required=False,
        initial=Speed.STANDARD,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Den leveranshastigheten kan inte väljas här.")},
    )
    street = TextField(
        label=_("Gatuadress"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Högst 200 tecken är tillåtna.")},
        widget=TextInput({"autocomplete": "street-address"}),
    )
    postcode = TextField(
        label=_("Postnummer"),
        required=False,
        max_length=10,
        error_messages={
            "max_length": _("Ange ett svenskt postnummer med fem siffror, t.ex. 413 01.")
        },
        widget=TextInput(
            {"autocomplete": "postal-code", "class": "nhsuk-input nhsuk-input--width-10"}
        ),
    )
    city = TextField(
        label=_("Ort"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Högst 100 tecken är tillåtna.")},
        widget=TextInput({"autocomplete": "address-level2"}),
    )
    multi_family = forms.BooleanField(
        label=_("Flerfamiljshus"),
        required=False,
        help_text=_("Kryssa i om en annan adress än folkbokföringsadressen är ett flerfamiljshus."),
    )
    care_of = TextField(
        label=_("c/o"),
        help_text=_("Krävs om patientens namn inte står på dörren."),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Högst 100 tecken är tillåtna.")},
        widget=TextInput(),
    )
    door_code = TextField(
        label=_("Portkod"),
        help_text=_("Krävs i flerfamiljshus. Skriv ”ingen” om porten saknar kod."),
        required=False,
        max_length=20,
        error_messages={"max_length": _("Högst 20 tecken är tillåtna.")},
        widget=TextInput({"class": "nhsuk-input nhsuk-input--width-10", "autocomplete": "off"}),
    )
    entry_phone = forms.BooleanField(label=_("Porttelefon finns"), required=False)
    name_on_door = forms.BooleanField(
        label=_("Patientens namn står på dörren"), required=False, initial=True
    )
    leave_outside = forms.BooleanField(label=_("Får ställas utanför"), required=False)
    pickup_q = TextField(
        label=_("Sök utlämningsställe"),
        help_text=_("Postnummer eller ort, till exempel 413 04 eller Göteborg"),
        required=False,
        max_length=60,
        widget=TextInput({"type": "search", "autocomplete": "off"}),
    )
    pickup_point_id = TextField(required=False, max_length=40)
    notify_by = forms.ChoiceField(
        label=_("Avisering"),
        required=False,
        choices=[(n, NOTIFY_LABELS[n]) for n in NotifyBy.ALL],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Välj avisering via sms, e-post eller brev.")},
    )
    contact_person = TextField(
        label=_("Kontaktperson (valfritt)"),
        help_text=_("Till exempel en förälder som hämtar åt ett barn med sin egen legitimation."),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Högst 100 tecken är tillåtna.")},
        widget=TextInput({"autocomplete": "off"}),
    )
    phone = TextField(
        label=_("Telefon"),
        help_text=_("Mobilnummer för sms. Krävs för akut- och expressleverans."),
        required=False,
        max_length=30,
        error_messages={"max_length": _("Högst 30 tecken är tillåtna.")},
        widget=TextInput({"type": "tel", "autocomplete": "tel"}),
    )
    email = TextField(
        label=_("E-postadress"),
        help_text=_("För avisering via e-post."),
        required=False,
        max_length=254,
        error_messages={"max_length": _("Högst 254 tecken är tillåtna.")},
        widget=TextInput({"type": "email", "autocomplete": "email", "spellcheck": "false"}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(
        self,
        *args: Any,
        speeds: list[str],
        destinations: tuple[str, ...] = ORDERABLE_DESTINATIONS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speed"].choices = [(s, Speed.LABELS[s]) for s in speeds]  # type: ignore[attr-defined]
        # a protected person's parcel goes to the unit, c/o someone there (SKYDD-5)
        self.fields["destination"].choices = [(d, Destination.LABELS[d]) for d in destinations]  # type: ignore[attr-defined]
        self.default_destination = destinations[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["destination"] = data.get("destination") or self.default_destination
        data["speed"] = data.get("speed") or Speed.STANDARD
        if data["destination"] == Destination.DOOR:
            for name, message in (
                ("street", _("Ange gatuadress.")),
                ("postcode", _("Ange postnummer.")),
                ("city", _("Ange ort.")),
            ):
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
        return data


class QuantitiesForm(forms.Form):
    """One quantity per active prescription; blank or 0 means "not this time"."""

    def __init__(self, *args: Any, prescriptions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in prescriptions:
            field = quantity_field(_("Antal %(product)s") % {"product": p.product.name})
            # the live preview puts this line's problem there (web/_line_problem.html)
            field.widget.attrs["aria-describedby"] = f"line-problem-{p.pk}"
            self.fields[quantity_field_name(p.pk)] = field

    def lines(self) -> list[tuple[int, int]]:
        """(prescription id, quantity) for every positive quantity, in field order."""
        result = []
        for name, value in self.cleaned_data.items():
            pk = quantity_prescription_id(name)
            if value and pk is not None:
                result.append((pk, value))
        return result


INITIAL_FIELDS = (
    "destination",
    "care_of",
    "door_code",
    "entry_phone",
    "name_on_door",
    "leave_outside",
    "phone",
    "email",
    "contact_person",
    "notify_by",
    "pickup_point_id",
)


class DeliveryChangeForm(DeliveryForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["idempotency_key"]
        del self.fields["speed"]

    def request(self, patient: Patient) -> DeliveryRequest:
        """The delivery details the (valid) form describes, as the service takes them."""
        d = self.cleaned_data
        names = ("street", "postcode", "city", "multi_family", *INITIAL_FIELDS)
        request = DeliveryRequest(**{n: d[n] for n in names if n != "multi_family"})
        if request.destination == Destination.DOOR:
            request.pickup_point_id = ""
            request.multi_family = multi_family(patient, d)
        else:  # the pickup point's or the unit's address is filled in by the domain
            request.street = request.postcode = request.city = ""
            if request.destination == Destination.UNIT:
                request.pickup_point_id = ""
        return request


def multi_family(patient: Patient, d: dict[str, Any]) -> bool | None:
    """Ticked: a multi-family building. Unticked: as registered, if it is that address."""
    if d["multi_family"]:
        return True
    same = is_same_address(
        d["street"],
        d["postcode"],
        registered_street=patient.street,
        registered_postcode=patient.postcode,
    )
    return None if same else False


def initial_for(withdrawal: Withdrawal) -> dict[str, Any]:
    """The form filled in as the withdrawal stands; door fields from the registered
    address when it goes elsewhere now."""
    initial: dict[str, Any] = {n: getattr(withdrawal, n) for n in INITIAL_FIELDS}
    patient = withdrawal.patient
    if withdrawal.destination == Destination.DOOR:
        initial.update(
            street=withdrawal.street,
            postcode=withdrawal.postcode,
            city=withdrawal.city,
            multi_family=withdrawal.multi_family,
        )
    elif not patient.protected:
        initial.update(street=patient.street, postcode=patient.postcode, city=patient.city)
    return initial
