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
    # the payer's contact (a municipality, a private provider…): sees what its units cost
    PAYER = "betalare"
    SYSTEM = "system"
    # the patient's own channel (EPAT): the patient, and someone acting for them (EPAT-2)
    PATIENT = "patient"
    PROXY = "ombud"  # a power of attorney to order, or a child's guardian
    PROXY_VIEWER = "ombud_las"  # a power of attorney to view only

    PRESCRIBING = frozenset({PRESCRIBER, DOCTOR})
    ORDERING = frozenset({PRESCRIBER, DOCTOR, ORDERER, CUSTOMER_SERVICE})
    SELF_ORDERING = frozenset({PATIENT, PROXY})  # GEN-4: order in the e-service
    SELF_SERVICE = frozenset({PATIENT, PROXY, PROXY_VIEWER})
    LABELS = {
        PRESCRIBER: _("Förskrivare"),
        ORDERER: _("Beställare"),
        DOCTOR: _("Läkare"),
        CUSTOMER_SERVICE: _("Kundtjänst"),
        ADMIN: _("LMN-administration"),
        HEAD_OF_UNIT: _("Verksamhetschef"),
        AUDITOR: _("Granskare"),
        DISTRIBUTOR: _("Distributör"),
        PAYER: _("Betalarens kontaktperson"),
        SYSTEM: _("System"),
    }
    # not staff roles (no membership holds them), so not among LABELS, which the staff
    # roles' choices are made from
    SELF_SERVICE_LABELS = {
        PATIENT: _("Patient"),
        PROXY: _("Ombud"),
        PROXY_VIEWER: _("Ombud (läsa)"),
    }


@dataclass(frozen=True)
class Actor:
    """A staff user acting in one unit, a system job (user None), or a person in the
    patient's e-service (user None, `acting_for` the patient)."""

    role: str
    hsa_id: str
    user: Any = None  # accounts.User; Any keeps core free of app imports
    # organisations.PrescribingUnit or None; Any, as for user: core imports no app
    unit: Any = None
    areas: frozenset[str] = field(default_factory=frozenset)
    joint_ordering: bool = False
    # organisations.Payer of a payer's contact (Role.PAYER), else None; Any, as for unit
    payer: Any = None
    # e-service roles only: the patients.Patient whose data this person sees and acts on
    # (themselves, or whom they represent); `hsa_id` then names the person logged in
    acting_for: Any = None

    @property
    def may_prescribe(self) -> bool:
        return self.role in Role.PRESCRIBING

    @property
    def may_order(self) -> bool:
        return self.role in Role.ORDERING or self.role in Role.SELF_ORDERING

    @property
    def self_service(self) -> bool:
        return self.role in Role.SELF_SERVICE

    def may_prescribe_in(self, area_code: str) -> bool:
        return self.may_prescribe and area_code in self.areas

    @property
    def unit_number(self) -> str:
        return self.unit.customer_number if self.unit is not None else ""

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(role=Role.SYSTEM, hsa_id=f"system:{name}")
