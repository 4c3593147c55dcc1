"""The form that changes a withdrawal's delivery details before it is picked.

The same fields, labels and messages as the ordering form's delivery part, without the
speed (it stays as ordered) and without an idempotency key (the same details again
change nothing).
"""

from __future__ import annotations

from typing import Any

from lmn.delivery.details import DeliveryRequest, Destination
from lmn.patients.models import Patient
from lmn.withdrawals.models import Withdrawal

from .forms import DeliveryForm

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
            request.multi_family = _multi_family(patient, d)
        else:  # the pickup point's or the unit's address is filled in by the domain
            request.street = request.postcode = request.city = ""
            if request.destination == Destination.UNIT:
                request.pickup_point_id = ""
        return request


def _multi_family(patient: Patient, d: dict[str, Any]) -> bool | None:
    """Ticked: a multi-family building. Unticked: as registered, if it is that address."""
    if d["multi_family"]:
        return True
    same = (
        " ".join(d["street"].split()).casefold() == patient.street.casefold()
        and "".join(d["postcode"].split()) == patient.postcode
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
