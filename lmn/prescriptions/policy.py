"""Entitlement policy: defaults from RULES.md, overridable per product area in settings.

settings.LMN_POLICY = {"validity_months": 12, "max_supply_days": 90,
                       "areas": {"nutrition": {"max_supply_days": 30}}}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class EntitlementPolicy:
    validity_months: int
    max_supply_days: int

    @property
    def early_days(self) -> int:
        """A new withdrawal is possible when coverage ends within a third of the max supply."""
        return self.max_supply_days // 3


def policy_for(area_code: str) -> EntitlementPolicy:
    conf: dict[str, Any] = dict(settings.LMN_POLICY)
    conf.update(conf.get("areas", {}).get(area_code, {}))
    return EntitlementPolicy(
        validity_months=int(conf["validity_months"]), max_supply_days=int(conf["max_supply_days"])
    )


def asylum_unit_number() -> str:
    """The region's asylum unit, which prescribes and is invoiced for asylum seekers and
    persons without permit (ASYL-3, UT-2): 601628 in Västra Götaland."""
    return str(getattr(settings, "LMN_ASYLUM_UNIT", "601628"))
