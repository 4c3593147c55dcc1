"""The shipping label: a PDF with recipient, address, carrier notes and a barcode (OUT-9).

A pickup point is named with its address (PICK-1), a ward with its goods reception, a
joint order with its daytime window (SAM-1, SAM-3); the door code is never printed.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from pystrich.code128 import Code128Encoder
from weasyprint import HTML

from lmn.audit.services import record
from lmn.core.actor import Actor

from .models import Withdrawal
from .shipment import addressee, care_home, joint_delivery, pickup_point_of


def barcode_data_url(text: str) -> str:
    """Code 128 of the withdrawal number as a PNG data URL (scannable at the depot)."""
    encoder = Code128Encoder(text, options={"show_label": False, "height": 80})
    return str(encoder.png_dataurl(bar_width=3))


def parcel_recipient(w: Withdrawal) -> str:
    """The name on the parcel: the unit's for a protected patient (SKYDD-6)."""
    return str(label_context(w)["recipient"])


def label_context(w: Withdrawal) -> dict[str, object]:
    """What the label prints. The door code is not among it: it would open the door to
    whoever holds the parcel; the carrier gets it as delivery data (shipment.py)."""
    notes = []
    if w.leave_outside:
        notes.append("FÅR STÄLLAS UTANFÖR – skydda mot väder")  # OUT-1, OUT-9
    if w.entry_phone:
        notes.append("Porttelefon – mottagaren öppnar")  # OUT-6
    if w.speed == "emergency":
        notes.append("AKUT")
    elif w.speed == "express":
        notes.append("EXPRESS – leverans samma dag")
    joint = joint_delivery(w.joint_order)
    if joint is not None:  # SAM-1, SAM-3
        notes.append(f"SAMLEVERANS {joint.number} – levereras dagtid {joint.window}")
    if w.patient.protected:
        return _protected_label_context(w, notes)
    return {
        "w": w,
        "recipient": w.patient.name,
        "care_of": w.care_of,
        "care_home": care_home(w),
        "pickup_point": pickup_point_of(w),
        "phone": w.phone,
        "notes": notes,
        "barcode": barcode_data_url(w.number),
    }


def _protected_label_context(w: Withdrawal, notes: list[str]) -> dict[str, object]:
    """SKYDD-6: the prescribing unit, the prescriber's name and the delivery address, and
    nothing about the patient: no name, phone or door code, whoever prints the label."""
    recipient, prescriber = addressee(w)
    return {
        "w": w,
        "recipient": recipient,
        "prescriber": prescriber,
        "care_of": w.care_of if w.destination == "unit" else "",
        "phone": "",
        "notes": notes,
        "barcode": barcode_data_url(w.number),
    }


def label_html(w: Withdrawal) -> str:
    """The label as HTML: everything the PDF shows, in a form a test can search."""
    return render_to_string("withdrawals/label.html", label_context(w))


def render_label(w: Withdrawal, *, actor: Actor) -> bytes:
    """The label PDF; printing it reads patient data, so it is audited."""
    pdf = HTML(string=label_html(w)).write_pdf()
    record("withdrawals.label.printed", actor=actor, patient=w.patient, obj=w)
    return bytes(pdf)
