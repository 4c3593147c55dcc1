"""What the routine requires of each destination and speed (GEN-7, OUT, PICK, AKUT, EXPR).

`plan_delivery` takes validated details and the products ordered, and either refuses
with every broken rule's ID and a plain Swedish reason, or answers with the promise,
the fees, the notification channel and the notices to show the orderer. It reads no
stock: reservation happens in the withdrawal's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop

from lmn.catalog.models import Product, ProductArea
from lmn.core.clock import STOCKHOLM
from lmn.core.errors import DomainError, Problem

from .calendar import Promise, promise_for
from .details import DeliveryRequest, Destination, NotifyBy, Speed
from .models import RegionPolicy
from .regions import region_of_postcode


@dataclass(frozen=True)
class FeeDraft:
    kind: str  # emergency | express | nutrition_outside_region | return | out_of_assortment
    amount: Decimal
    area_code: str  # whose payer is charged
    label: str


@dataclass
class DeliveryPlan:
    promise: Promise
    inside_region: bool
    fees: list[FeeDraft] = field(default_factory=list)
    notify_by: str = ""  # "" = not notified (AKUT-4)
    notices: list[str] = field(default_factory=list)
    reserve_stock: bool = False  # AKUT-3, EXPR-4


FEE_LABELS = {
    "emergency": "Akutleverans",
    "express": "Expressleverans",
    "nutrition_outside_region": "Nutrition levererad utanför Västra Götaland",
    "return": "Retur",
    "out_of_assortment": "Produkt utanför upphandlat sortiment",
}


def plan_delivery(
    req: DeliveryRequest,
    *,
    products: list[Product],
    actor_role: str,
    registered_multi_family: bool,
    policy: RegionPolicy,
    received_at: dt.datetime,
    patient_is_child: bool = False,
) -> DeliveryPlan:
    """Apply every destination and speed rule; refuse with all problems at once.

    Pure: it reads nothing from the database. The caller has already resolved the
    pickup point to its address (PICK-1 is checked there, once: withdrawals' shape check).
    """
    problems: list[Problem] = []
    notices: list[str] = []
    if req.destination == Destination.DOOR:
        problems += door_problems(req, registered_multi_family=registered_multi_family)
        notices += door_notices(req)
    elif req.destination == Destination.PICKUP_POINT:
        problems += pickup_notification_problems(req)
        notices += pickup_notices(req, policy=policy, patient_is_child=patient_is_child)
    fast = req.speed in (Speed.EMERGENCY, Speed.EXPRESS)
    if fast:
        problems += fast_delivery_problems(req, products, actor_role=actor_role, policy=policy)
    if problems:
        raise DomainError(*problems)
    inside = region_of_postcode(req.postcode) == "VG"
    fees = speed_fees(req, products, policy) + place_fees(
        req, products, inside_region=inside, policy=policy
    )
    promise = promise_for(req.speed, received_at, inside_region=inside, policy=policy)
    outside_assortment = [p for p in products if not p.procured]
    if outside_assortment:
        promise = _out_of_assortment_promise(promise, outside_assortment, received_at, policy)
        notices.append(promise.note)
    return DeliveryPlan(
        promise=promise,
        inside_region=inside,
        fees=fees,
        notify_by=notification_channel(req),
        notices=notices,
        reserve_stock=fast,  # AKUT-3, EXPR-4
    )


def door_problems(req: DeliveryRequest, *, registered_multi_family: bool) -> list[Problem]:
    """OUT-5 (door code in a multi-family house), OUT-7 (whose name is on the door)."""
    problems = []
    multi_family = req.multi_family if req.multi_family is not None else registered_multi_family
    if multi_family and not req.door_code:
        problems.append(
            Problem(
                "OUT-5",
                "Ange portkod: i flerfamiljshus efterfrågas alltid portkod "
                "(skriv ”ingen” om porten saknar kod).",
                "delivery.door_code",
            )
        )
    if not req.name_on_door and not req.care_of:
        problems.append(
            Problem(
                "OUT-7",
                "Patientens namn står inte på dörren: ange c/o-namn som står där.",
                "delivery.care_of",
            )
        )
    return problems


def door_notices(req: DeliveryRequest) -> list[str]:
    notices = []
    if req.entry_phone:  # OUT-6
        notices.append(
            gettext_noop("Porttelefon: mottagaren måste vara hemma och öppna för transportören.")
        )
    if req.leave_outside:  # OUT-9
        notices.append(
            gettext_noop("Paketet ställs utanför dörren och ska skyddas mot väder och vind.")
        )
    return notices


def pickup_notification_problems(req: DeliveryRequest) -> list[Problem]:
    """PICK-2: how the recipient hears the parcel has arrived, and where to reach them."""
    problems = []
    if req.speed != Speed.EMERGENCY and not req.notify_by:
        problems.append(
            Problem(
                "PICK-2",
                "Välj hur patienten eller kontaktpersonen ska aviseras: sms, e-post eller brev.",
                "delivery.notify_by",
            )
        )
    if req.notify_by == NotifyBy.SMS and not req.phone:
        problems.append(Problem("PICK-2", "Ange mobilnummer för sms-avisering.", "delivery.phone"))
    if req.notify_by == NotifyBy.EMAIL and not req.email:
        problems.append(
            Problem("PICK-2", "Ange e-postadress för avisering via e-post.", "delivery.email")
        )
    return problems


def pickup_notices(
    req: DeliveryRequest, *, policy: RegionPolicy, patient_is_child: bool
) -> list[str]:
    notices = [  # PICK-4, PICK-5, PICK-9
        f"Paketet måste hämtas inom {policy.pickup_days} dagar och kräver legitimation "
        "och den fyrsiffriga koden i aviseringen."
    ]
    if patient_is_child:
        notices.extend(child_pickup_notices(req.contact_person))
    return notices


def fast_delivery_problems(
    req: DeliveryRequest, products: list[Product], *, actor_role: str, policy: RegionPolicy
) -> list[Problem]:
    """Emergency (AKUT) and express (EXPR): who may order, what, and a phone to reach."""
    emergency = req.speed == Speed.EMERGENCY
    if emergency:
        problems = _emergency_role_problems(actor_role, policy)
    else:
        problems = _express_problems(products, actor_role=actor_role, policy=policy)
    if not req.phone:
        problems.append(
            Problem(
                "AKUT-6" if emergency else "EXPR-5",
                "Ange telefonnummer till patienten eller en kontaktperson.",
                "delivery.phone",
            )
        )
    for p in products:
        if not (p.procured and p.stocked):
            problems.append(
                Problem(
                    "AKUT-2" if emergency else "EXPR-3",
                    f"{p.name} är inte en upphandlad lagerlagd produkt och kan inte "
                    f"beställas {'akut' if emergency else 'express'}.",
                    "delivery.speed",
                )
            )
    return problems


def _emergency_role_problems(actor_role: str, policy: RegionPolicy) -> list[Problem]:
    if actor_role in policy.emergency_roles:
        return []
    return [
        Problem(
            "emergency_not_allowed", "Din roll får inte beställa akutleverans.", "delivery.speed"
        )
    ]


def _express_problems(
    products: list[Product], *, actor_role: str, policy: RegionPolicy
) -> list[Problem]:
    problems = []
    if not policy.express_enabled:
        problems.append(
            Problem(
                "express_unavailable", "Regionen erbjuder inte expressleverans.", "delivery.speed"
            )
        )
    if {p.area.code for p in products} - {ProductArea.NUTRITION}:
        problems.append(
            Problem("EXPR-1", "Expressleverans gäller bara nutritionsprodukter.", "delivery.speed")
        )
    if actor_role not in policy.express_roles:
        problems.append(
            Problem("EXPR-6", "Bara förskrivaren kan beställa expressleverans.", "delivery.speed")
        )
    return problems


def speed_fees(
    req: DeliveryRequest, products: list[Product], policy: RegionPolicy
) -> list[FeeDraft]:
    """One emergency or express fee, on the payer of the first line's area."""
    main_area = products[0].area.code if products else ""
    if req.speed == Speed.EMERGENCY:
        return [FeeDraft("emergency", policy.fee_emergency, main_area, FEE_LABELS["emergency"])]
    if req.speed == Speed.EXPRESS:
        return [FeeDraft("express", policy.fee_express, main_area, FEE_LABELS["express"])]
    return []


def place_fees(
    req: DeliveryRequest, products: list[Product], *, inside_region: bool, policy: RegionPolicy
) -> list[FeeDraft]:
    """Fees that follow from where it goes (OUT-4) and what is ordered (OOA-6)."""
    fees = []
    # OUT-4 charges nutrition delivered to an address outside the region; a pickup point
    # anywhere in Sweden is free for every area (PICK-3)
    charged_outside = not inside_region and req.destination != Destination.PICKUP_POINT
    if charged_outside and any(p.area.code == ProductArea.NUTRITION for p in products):
        fees.append(
            FeeDraft(
                "nutrition_outside_region",
                policy.fee_nutrition_outside_region,
                ProductArea.NUTRITION,
                FEE_LABELS["nutrition_outside_region"],
            )
        )
    outside_assortment = [p for p in products if not p.procured]
    if outside_assortment:  # OOA-6: one extra fee per withdrawal, on the product's payer
        fees.append(
            FeeDraft(
                "out_of_assortment",
                policy.fee_out_of_assortment,
                outside_assortment[0].area.code,
                FEE_LABELS["out_of_assortment"],
            )
        )
    return fees


def notification_channel(req: DeliveryRequest) -> str:
    """How the recipient is told: always SMS for an emergency parcel at a pickup point
    (AKUT-5), never for an emergency home delivery (AKUT-4), else as chosen."""
    if req.destination == Destination.PICKUP_POINT:
        return NotifyBy.SMS if req.speed == Speed.EMERGENCY else req.notify_by
    if req.speed == Speed.EMERGENCY:
        return ""
    return req.notify_by


CHILD_PICKUP = gettext_noop(
    "Patienten är under 18 år. Ett barn med giltig legitimation får hämta paketet själv. "
    "Har barnet ingen giltig legitimation hämtar en vårdnadshavare paketet med egen "
    "legitimation och ett utdrag ur folkbokföringen (personbevis) som visar vårdnaden."
)


def child_pickup_notices(contact_person: str) -> list[str]:
    """PICK-8: who may collect a child's parcel, and the adult contact the orderer may name."""
    if contact_person:
        contact = (
            f"Kontaktpersonen {contact_person} får också hämta paketet med sin egen legitimation."
        )
    else:
        contact = gettext_noop(
            "Du kan ange en vuxen närstående som kontaktperson, med telefonnummer. Då räcker "
            "kontaktpersonens egen legitimation vid uthämtningen."
        )
    return [CHILD_PICKUP, contact]


def _out_of_assortment_promise(
    standard: Promise, products: list[Product], received_at: dt.datetime, policy: RegionPolicy
) -> Promise:
    """OOA-3: not stocked, so the supplier's lead time decides; longer than 10 days means
    customer service will contact prescriber and patient (the scheduled check)."""
    lead = max(p.lead_time_days or policy.ooa_default_lead_days for p in products)
    expected = received_at.astimezone(STOCKHOLM).date() + dt.timedelta(days=lead)
    if standard.date is not None:
        expected = max(expected, standard.date)
    note = (
        "Produkt utanför upphandlat sortiment: den lagerförs inte och har förlängd "
        f"leveranstid, beräknad leverans {expected.isoformat()}."
    )
    if lead > policy.ooa_contact_days:
        note += (
            f" Leveranstiden överstiger {policy.ooa_contact_days} dagar: kundtjänst kontaktar "
            "förskrivare och patient."
        )
    return Promise(expected, note)


EXPRESS_REASON = gettext_noop(
    "Express gäller bara nutritionsprodukter och beställs av förskrivaren."
)
EXPRESS_NUTRITION_ONLY = gettext_noop(
    "Express gäller bara nutritionsprodukter: ange antal bara för nutrition för att kunna "
    "välja express."
)


@dataclass
class SpeedOptions:
    allowed: list[str]
    unavailable: list[str] = field(default_factory=list)  # why the others are not offered


def speed_options(
    actor_role: str, products: Iterable[Product], policy: RegionPolicy
) -> SpeedOptions:
    """The speeds an orderer may choose, and in Swedish why the others are not offered.

    The same rules as plan_delivery (EXPR-1, EXPR-6, emergency roles), for forms that
    show only what is allowed. `products`: those chosen, or all orderable ones.
    """
    chosen = list(products)
    allowed = [Speed.STANDARD]
    unavailable = []
    if actor_role in policy.emergency_roles:
        allowed.append(Speed.EMERGENCY)
    else:
        unavailable.append(gettext_noop("Akutleverans kan inte beställas i din roll."))
    if not policy.express_enabled:
        unavailable.append(gettext_noop("Regionen erbjuder inte expressleverans."))
        return SpeedOptions(allowed, unavailable)
    nutrition = [p.area.code == ProductArea.NUTRITION for p in chosen]
    if actor_role in policy.express_roles and nutrition and all(nutrition):
        allowed.append(Speed.EXPRESS)
    elif actor_role in policy.express_roles and any(nutrition):
        # express is possible, just not with the other products chosen beside nutrition
        unavailable.append(EXPRESS_NUTRITION_ONLY)
    else:
        unavailable.append(EXPRESS_REASON)
    return SpeedOptions(allowed, unavailable)


# what an order form may offer; placing checks SKYDD-5 again (withdrawals.services)
ORDERABLE_DESTINATIONS = (Destination.DOOR, Destination.PICKUP_POINT)
PROTECTED_DESTINATIONS = (Destination.UNIT,)  # SKYDD-5: to the prescribing unit, c/o


def destination_options(*, protected: bool) -> tuple[str, ...]:
    """Home or a pickup point; for a protected person only the prescribing unit."""
    return PROTECTED_DESTINATIONS if protected else ORDERABLE_DESTINATIONS
