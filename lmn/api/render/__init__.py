"""Output schemas and the functions that build them from domain objects, one module per
resource.

Built explicitly, field by field, so that what leaves the API is a decision, not
whatever a model happens to hold. Routes use them as `render.<name>`.
"""

from __future__ import annotations

from .patients import (
    AddressOut,
    IdentityOut,
    PatientOut,
    PatientSummaryOut,
    WithdrawalSummaryOut,
    patient_detail,
    patient_summary,
)
from .prescriptions import (
    ConsumptionOut,
    EntitlementOut,
    PrescriptionOut,
    prescription,
)
from .products import (
    ProductOut,
    products,
)
from .shipping import (
    CareHomeOut,
    JointDeliveryOut,
    ShipmentOut,
    ShipmentStepOut,
    WorkItemOut,
    joint_delivery_out,
    shipment,
    shipment_step,
    work_items,
)
from .withdrawals import (
    DeliveryOut,
    DeliveryPlanOut,
    FeeOut,
    PickupOut,
    PickupPointOut,
    PlacedWithdrawalOut,
    ProtectedWithdrawalRowOut,
    WithdrawalLineOut,
    WithdrawalOut,
    delivery_plan,
    fee,
    pickup,
    pickup_point,
    placed_withdrawal,
    protected_withdrawal_rows,
    withdrawal,
)

__all__ = [
    "AddressOut",
    "CareHomeOut",
    "ConsumptionOut",
    "DeliveryOut",
    "DeliveryPlanOut",
    "EntitlementOut",
    "FeeOut",
    "IdentityOut",
    "JointDeliveryOut",
    "PatientOut",
    "PatientSummaryOut",
    "PickupOut",
    "PickupPointOut",
    "PlacedWithdrawalOut",
    "PrescriptionOut",
    "ProductOut",
    "ProtectedWithdrawalRowOut",
    "ShipmentOut",
    "ShipmentStepOut",
    "WithdrawalLineOut",
    "WithdrawalOut",
    "WithdrawalSummaryOut",
    "WorkItemOut",
    "delivery_plan",
    "fee",
    "joint_delivery_out",
    "patient_detail",
    "patient_summary",
    "pickup",
    "pickup_point",
    "placed_withdrawal",
    "prescription",
    "products",
    "protected_withdrawal_rows",
    "shipment",
    "shipment_step",
    "withdrawal",
    "work_items",
]
