"""Who is acting. Every service function takes one, keyword-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


class Role:
    """Role codes (ACC-2 plus the staff roles). Kept here so every app can name them."""

    PRESCRIBER = "forskrivare"
    ORDERER = "bestallare"
    DOCTOR = "lakare"
    CUSTOMER_SERVICE = "kundtjanst"
    ADMIN = "lmnadmin"
    HEAD_OF_UNIT = "verksamhetschef"
    AUDITOR = "granskare"
    DISTRIBUTOR = "distributor"
    SYSTEM = "system"

    PRESCRIBING = frozenset({PRESCRIBER, DOCTOR})
    ORDERING = frozenset({PRESCRIBER, DOCTOR, ORDERER, CUSTOMER_SERVICE})
    LABELS = {
        PRESCRIBER: _("Förskrivare"),
        ORDERER: _("Beställare"),
        DOCTOR: _("Läkare"),
        CUSTOMER_SERVICE: _("Kundtjänst"),
        ADMIN: _("LMN-administration"),
        HEAD_OF_UNIT: _("Verksamhetschef"),
        AUDITOR: _("Granskare"),
        DISTRIBUTOR: _("Distributör"),
        SYSTEM: _("System"),
    }


@dataclass(frozen=True)
class Actor:
    """A staff user acting in one unit, or a system job (user None)."""

    role: str
    hsa_id: str
    user: Any = None  # accounts.User; Any keeps core free of app imports
    # organisations.PrescribingUnit or None; Any, as for user: core imports no app
    unit: Any = None
    areas: frozenset[str] = field(default_factory=frozenset)
    joint_ordering: bool = False

    @property
    def may_prescribe(self) -> bool:
        return self.role in Role.PRESCRIBING

    @property
    def may_order(self) -> bool:
        return self.role in Role.ORDERING

    def may_prescribe_in(self, area_code: str) -> bool:
        return self.may_prescribe and area_code in self.areas

    @property
    def unit_number(self) -> str:
        return self.unit.customer_number if self.unit is not None else ""

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(role=Role.SYSTEM, hsa_id=f"system:{name}")
