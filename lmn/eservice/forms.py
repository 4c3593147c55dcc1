"""The e-service's order form: what to order, and where it goes (EPAT-1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lmn.delivery.details import Destination, NotifyBy
from lmn.delivery.models import PickupPoint
from lmn.representation.models import Scope

DESTINATIONS = [
    (Destination.DOOR, _("Hem till dörren")),
    (Destination.PICKUP_POINT, _("Till ett utlämningsställe")),
]
NOTIFY = [
    (NotifyBy.SMS, _("SMS")),
    (NotifyBy.EMAIL, _("E-post")),
    (NotifyBy.LETTER, _("Brev")),
]


def _styled(form: forms.Form) -> None:
    """The design system's classes on each input (as the portal's forms have them)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.HiddenInput | forms.CheckboxInput):
            continue
        css = "nhsuk-select" if isinstance(widget, forms.Select) else "nhsuk-input"
        widget.attrs.setdefault("class", css)


class DeliveryForm(forms.Form):
    """Where the parcel goes: when ordering, and when changing it before picking."""

    destination = forms.ChoiceField(
        label=_("Vart ska paketet?"), choices=DESTINATIONS, widget=forms.RadioSelect
    )
    pickup_point = forms.ChoiceField(label=_("Utlämningsställe"), required=False)
    door_code = forms.CharField(label=_("Portkod (om det finns)"), required=False, max_length=20)
    phone = forms.CharField(label=_("Mobilnummer"), required=False, max_length=30)
    email = forms.EmailField(label=_("E-postadress"), required=False)
    notify_by = forms.ChoiceField(
        label=_("Hur vill du få besked om leveransen?"), choices=NOTIFY, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        points = PickupPoint.objects.filter(active=True).order_by("city", "name")
        choices = [("", _("Välj utlämningsställe"))] + [
            (p.code, f"{p.name}, {p.street}, {p.city}") for p in points
        ]
        point_field = self.fields["pickup_point"]
        assert isinstance(point_field, forms.ChoiceField)
        point_field.choices = choices
        _styled(self)


class OrderForm(DeliveryForm):
    save_details = forms.BooleanField(
        label=_("Spara leveransuppgifterna till nästa gång"), required=False
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, lines: list[tuple[int, str, int]], **kwargs: Any) -> None:
        """`lines`: (prescription id, product name, most that can be ordered now).

        Every current prescription gets a field, those with nothing to order now too, so
        that a form sent again is answered as the first time (idempotent placing) rather
        than refused by the form; the placing service checks the quantities (GEN-3)."""
        super().__init__(*args, **kwargs)
        self.line_names: list[tuple[str, str]] = []
        self.orderable: list[str] = []
        for pk, name, most in lines:
            field_name = f"qty_{pk}"
            self.fields[field_name] = forms.IntegerField(
                label=name, min_value=0, required=False, initial=most
            )
            self.line_names.append((field_name, name))
            if most > 0:
                self.orderable.append(field_name)
        _styled(self)

    def line_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.orderable]

    def quantities(self) -> dict[int, int]:
        return {
            int(name.removeprefix("qty_")): self.cleaned_data.get(name) or 0
            for name, _label in self.line_names
        }


class PowerForm(forms.Form):
    holder_identifier = forms.CharField(label=_("Ombudets personnummer"), max_length=13)
    holder_name = forms.CharField(label=_("Ombudets namn"), max_length=200)
    scope = forms.ChoiceField(
        label=_("Vad får ombudet göra?"),
        choices=[
            (Scope.ORDER, _("Se mina produkter och beställa åt mig")),
            (Scope.VIEW, _("Bara se mina produkter och beställningar")),
        ],
        widget=forms.RadioSelect,
    )
    valid_until = forms.DateField(
        label=_("Gäller till och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)
