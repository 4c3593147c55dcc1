"""Who may order what: product-area permissions (ACC-3) and express delivery (EXPR-6).

Checked among a withdrawal's rules (services._check), so a single withdrawal, a joint
order, the portal and the API refuse alike, each problem at its line.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from lmn.catalog.models import ProductArea
from lmn.core.actor import Actor, Role
from lmn.core.errors import Problem
from lmn.delivery.details import DeliveryRequest, Destination, Speed
from lmn.delivery.models import RegionPolicy
from lmn.delivery.rules import SpeedOptions, speed_options
from lmn.prescriptions.models import Prescription


def area_problems(chosen: Sequence[tuple[int, Prescription]], *, actor: Actor) -> list[Problem]:
    """ACC-3: each line's product area must be among the actor's areas at the unit they act
    in (a doctor holds every area). Customer service acts for the whole region, in no unit.

    `chosen`: (line index, prescription) of each line whose prescription was found.
    """
    if actor.role == Role.CUSTOMER_SERVICE or actor.self_service:
        return []  # the e-service orders on the patient's own prescriptions (EPAT-1)
    problems = []
    for i, prescription in chosen:
        area = prescription.product.area
        if area.code not in actor.areas:
            problems.append(
                Problem(
                    "ACC-3",
                    f"Du saknar behörighet för {area.name} i den enhet du arbetar i och kan "
                    "inte göra uttag på den här förskrivningen.",
                    f"lines[{i}].prescription_id",
                )
            )
    return problems


def express_problems(chosen: Sequence[Prescription], *, actor: Actor) -> list[Problem]:
    """EXPR-6: express is ordered by the prescriber, i.e. someone who holds nutrition at the
    prescribing unit. The role alone (checked by plan_delivery) is not enough."""
    at_unit = actor.unit is not None and {p.unit_id for p in chosen} == {actor.unit.pk}
    if at_unit and ProductArea.NUTRITION in actor.areas:
        return []
    return [
        Problem(
            "EXPR-6",
            "Expressleverans beställs av förskrivaren: någon med behörighet för nutrition "
            "på den enhet som förskrev produkten.",
            "delivery.speed",
        )
    ]


def speed_choices(
    chosen: Sequence[Prescription], *, actor: Actor, policy: RegionPolicy
) -> SpeedOptions:
    """The speeds a form offers this actor for these prescriptions: the delivery rules'
    options less express where EXPR-6 would refuse it, so a form never offers what placing
    then refuses (a stoma-only prescriber, or one at another unit, sees no express)."""
    options = speed_options(actor.role, [p.product for p in chosen], policy)
    if Speed.EXPRESS not in options.allowed or not express_problems(chosen, actor=actor):
        return options
    return SpeedOptions(
        [s for s in options.allowed if s != Speed.EXPRESS],
        [*options.unavailable, express_problems(chosen, actor=actor)[0].message],
    )


def self_service_problems(delivery: DeliveryRequest, *, actor: Actor) -> list[Problem]:
    """EPAT-1: in the e-service, standard delivery to the door or a pickup point only;
    emergency and express stay with staff (AKUT, EXPR)."""
    if not actor.self_service:
        return []
    problems = []
    if delivery.speed != Speed.STANDARD:
        problems.append(
            Problem(
                "EPAT-1",
                _(
                    "I e-tjänsten beställer du standardleverans. Behöver du leveransen "
                    "snabbare, kontakta din vårdenhet."
                ),
                "delivery.speed",
            )
        )
    if delivery.destination not in (Destination.DOOR, Destination.PICKUP_POINT):
        problems.append(
            Problem(
                "EPAT-1",
                _("Välj leverans hem till dörren eller till ett utlämningsställe."),
                "delivery.destination",
            )
        )
    return problems
