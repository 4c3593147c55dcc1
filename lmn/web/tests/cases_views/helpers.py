"""What the case-page tests share: helpers that build patients, cases and sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lmn.accounts.models import User
from lmn.cases.followups import flag_out_of_assortment_deliveries
from lmn.core import clock
from lmn.patients.models import Patient
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal


def _person(identifier: str, **values: Any) -> Patient:
    base = {
        "first_name": "Amina",
        "last_name": "Yusuf",
        "street": "",
        "postcode": "",
        "city": "",
        "resident_region": "VG",
    }
    return Patient.objects.create(identifier=identifier, **{**base, **values})


def _html(response: Any) -> str:
    return response.content.decode()


def verified(*users: Any) -> None:
    """CON-3 sends unverified prescribers to confirm their e-mail first; these tests are
    about other things, so the addresses count as verified today."""
    fields = {f.name for f in User._meta.get_fields()}
    if "email_verified_at" in fields:
        for user in users:
            User.objects.filter(pk=user.pk).update(
                email_verified_at=clock.now(), email_verified_address=user.email
            )


def _asylum_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "product": "",
        "consumption_amount": "2",
        "consumption_period": "day",
        "first_name": "Amina",
        "last_name": "Yusuf",
        "birth_date": "19900501",
        "lma_number": "50-008920/4",
        "lma_valid_until": (clock.today() + dt.timedelta(days=200)).strftime("%Y%m%d"),
        "care_cannot_wait": "on",
    }
    data.update(overrides)
    return data


def act_in(client: Any, user: Any, unit: Any) -> None:
    """Choose the membership in `unit` for the client's session."""
    from lmn.accounts.models import Membership
    from lmn.web.acting import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = Membership.objects.get(user=user, unit=unit, active=True).pk
    session.save()


def _protected_withdrawal(world: Any, secret: Any) -> Any:
    from lmn.delivery.details import DeliveryRequest
    from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

    rx = f.make_prescription(
        patient=secret, product=world.diabetes_product, prescriber=world.prescriber, unit=world.unit
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=secret,
            lines=[LineDraft(rx.pk, 10)],
            delivery=DeliveryRequest(destination="unit", care_of="Sjuksköterska Berg"),
        ),
        actor=world.actor(world.prescriber),
    )
    return w


def _ooa_follow_up(world: Any) -> Any:
    from lmn.delivery.details import DeliveryRequest
    from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

    ooa = f.make_product("incontinence", name="Specialskydd XL", procured=False, stocked=False)
    rx = f.make_prescription(
        patient=world.patient, product=ooa, prescriber=world.prescriber, unit=world.unit
    )
    place_withdrawal(
        WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(rx.pk, 5)], delivery=DeliveryRequest()
        ),
        actor=world.actor(world.prescriber),
    )
    Withdrawal.objects.update(promised_delivery_date=clock.today() + dt.timedelta(days=20))
    [follow_up] = flag_out_of_assortment_deliveries()
    return follow_up
