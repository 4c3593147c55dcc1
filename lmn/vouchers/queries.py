"""What the patient page shows of vouchers."""

from __future__ import annotations

from collections.abc import Iterable

from lmn.prescriptions.models import Prescription

from .models import Voucher, VoucherPlan, VoucherStatus


def voucher_state_of(prescriptions: Iterable[Prescription]) -> dict[int, Voucher | None]:
    """For each prescription ordered with vouchers, the voucher that is out (or None when
    nothing remains); prescriptions without vouchers are absent. Two queries."""
    ids = [p.pk for p in prescriptions]
    chosen = set(
        VoucherPlan.objects.filter(prescription_id__in=ids).values_list(
            "prescription_id", flat=True
        )
    )
    issued = {
        v.prescription_id: v
        for v in Voucher.objects.filter(prescription_id__in=chosen, status=VoucherStatus.ISSUED)
    }
    return {pk: issued.get(pk) for pk in chosen}
