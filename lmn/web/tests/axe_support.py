"""What the axe tests share: the data behind the pages and the browser helpers.

Data builds, on first use, what a page lists (a withdrawal, a returned case, ...); the
browser helpers log a user in, watch the console and run axe at WCAG 2.1 AA."""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.test import Client
from playwright.sync_api import expect

from lmn.accounts.applications import AccessApplicationDraft, submit_access_application
from lmn.accounts.contact import send_email_verification
from lmn.accounts.models import User
from lmn.cases.followups import flag_out_of_assortment_deliveries
from lmn.cases.models import FollowUp
from lmn.cases.register_sync import sync_register
from lmn.cases.services import return_case
from lmn.cases.states import CaseKind
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.delivery.details import DeliveryRequest
from lmn.organisations.services import UnitApplicationDraft, submit_unit_application
from lmn.patients.models import Patient
from lmn.testing import factories as f
from lmn.web.forms.cases import PATIENT_KINDS
from lmn.withdrawals.changes import change_delivery
from lmn.withdrawals.joint import JointOrderDraft, ResidentLines, place_joint_order
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_arrived, mark_picked, mark_shipped

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
NEW_HSA = "SE2321000131-E000000888"


# --- the data behind the pages ----------------------------------------------------------


class Data:
    """Everything a page may show, built on first use so each test makes only its own."""

    def __init__(self, world: Any) -> None:
        self.world = world
        world.ward.delivery_place = "Godsmottagningen, entréplan"
        world.ward.save(update_fields=["delivery_place"])

    # users, by the role the page is opened as
    @cached_property
    def distributor(self) -> Any:
        return f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR)

    @cached_property
    def head(self) -> Any:
        return f.make_head(self.world.ward, "avdelningschef")

    @cached_property
    def admin(self) -> Any:
        return f.make_admin("lmnadmin")

    @cached_property
    def auditor(self) -> Any:
        return f.make_user("granskare", unit=None, role=Role.AUDITOR, areas=[])

    @cached_property
    def payer(self) -> Any:
        """The contact of the payer of the unit's diabetes products (the withdrawal's)."""
        payer = self.world.unit.payers.get(product_area__code="diabetes").payer
        return f.make_payer_contact(payer, "betalare")

    def user_of(self, role: str) -> Any:
        w = self.world
        return {
            Role.PRESCRIBER: w.prescriber,
            Role.DOCTOR: w.doctor,
            Role.ORDERER: w.orderer,
            Role.CUSTOMER_SERVICE: w.customer_service,
            Role.DISTRIBUTOR: self.distributor,
            Role.HEAD_OF_UNIT: self.head,
            Role.ADMIN: self.admin,
            Role.AUDITOR: self.auditor,
            Role.PAYER: self.payer,
        }[role]

    # a patient with a prescription and a withdrawal
    @cached_property
    def prescription(self) -> Any:
        w = self.world
        return f.make_prescription(
            patient=w.patient, product=w.diabetes_product, prescriber=w.prescriber, unit=w.unit
        )

    def _place(self, delivery: DeliveryRequest, quantity: int = 10) -> Withdrawal:
        withdrawal, _ = place_withdrawal(
            WithdrawalDraft(
                patient=self.world.patient,
                lines=[LineDraft(self.prescription.pk, quantity)],
                delivery=delivery,
            ),
            actor=self.world.actor(self.world.prescriber),
        )
        return withdrawal

    @cached_property
    def withdrawal(self) -> Withdrawal:
        return self._place(DeliveryRequest(care_of="Anna Andersson", phone="070-123 45 67"))

    @cached_property
    def changed_withdrawal(self) -> Withdrawal:
        """The withdrawal with its delivery details changed once (a second timeline step)."""
        withdrawal, _ = change_delivery(
            self.withdrawal,
            DeliveryRequest(care_of="Anna Andersson", phone="070-123 45 67", door_code="4711"),
            actor=self.world.actor(self.world.doctor),
        )
        return withdrawal

    @cached_property
    def pickup_withdrawal(self) -> Withdrawal:
        """Arrived at a pickup point: the parcel the distributor registers as collected."""
        point = f.make_pickup_point()
        withdrawal = self._place(
            DeliveryRequest(
                destination="pickup_point",
                pickup_point_id=point.code,
                phone="070-123 45 67",
                notify_by="sms",
            ),
            quantity=5,
        )
        actor = f.actor_of(self.distributor)
        for step in (mark_picked, mark_shipped, mark_arrived):
            withdrawal = step(withdrawal, actor=actor)
        return withdrawal

    @cached_property
    def changed_article(self) -> Any:
        """An article that ends, replaced by another, with a prescription to change."""
        product = self.prescription.product
        product.end_date = clock.today() + dt.timedelta(days=30)
        product.replaced_by = f.make_product("diabetes", name="Testremsor Glukos Ny")
        product.save(update_fields=["end_date", "replaced_by"])
        return product

    # cases (CH-1)
    @cached_property
    def ooa_product(self) -> Any:
        return f.make_product("incontinence", name="Specialskydd XL", procured=False, stocked=False)

    def make_case(self, kind: str, **overrides: Any) -> Any:
        w = self.world
        product = self.ooa_product if kind == CaseKind.OUT_OF_ASSORTMENT else w.diabetes_product
        if kind in PATIENT_KINDS:
            overrides.setdefault("patient", w.patient)
        return f.make_case(kind, user=w.prescriber, unit=w.unit, product=product, **overrides)

    @cached_property
    def open_case(self) -> Any:
        return self.make_case(CaseKind.ASYLUM)

    @cached_property
    def returned_case(self) -> Any:
        case = self.make_case(CaseKind.OUT_OF_ASSORTMENT)
        return return_case(
            case,
            reason="Ange vilken storlek som behövs.",
            actor=f.actor_of(self.world.customer_service),
        )

    @cached_property
    def lma_patient(self) -> Patient:
        """An asylum seeker registered with an LMA number, to convert (ASYL-7)."""
        return Patient.objects.create(
            identifier="50008920",
            identity_kind="lma",
            first_name="Amina",
            last_name="Yusuf",
            birth_date=dt.date(1990, 5, 1),
            street="",
            postcode="",
            city="",
            resident_region="VG",
        )

    @cached_property
    def follow_up(self) -> Any:
        """OOA-3: a withdrawal outside the assortment with a long delivery."""
        w = self.world
        rx = f.make_prescription(
            patient=w.patient, product=self.ooa_product, prescriber=w.prescriber, unit=w.unit
        )
        withdrawal, _ = place_withdrawal(
            WithdrawalDraft(
                patient=w.patient, lines=[LineDraft(rx.pk, 5)], delivery=DeliveryRequest()
            ),
            actor=w.actor(w.prescriber),
        )
        Withdrawal.objects.filter(pk=withdrawal.pk).update(
            promised_delivery_date=clock.today() + dt.timedelta(days=20)
        )
        [follow_up] = flag_out_of_assortment_deliveries()
        return follow_up

    @cached_property
    def held_follow_up(self) -> Any:
        """SKYDD-7, SKYDD-5: a withdrawal held because the register newly protects the
        patient, waiting for the unit's decision."""
        w = self.world
        self.withdrawal
        f.register_person(w.patient.identifier, protected=True)
        sync_register(actor=Actor.system("register-sync"))
        return FollowUp.objects.filter(kind=FollowUp.Kind.PROTECTED_HOLD).first()

    # issue 5: applications and the ward
    @cached_property
    def access_application(self) -> Any:
        return submit_access_application(
            AccessApplicationDraft(
                kind="grant",
                subject_hsa_id=NEW_HSA,
                units=[self.world.ward],
                role=Role.ORDERER,
                area_codes=["diabetes", "incontinence"],
                joint_ordering=True,
                first_name="Nina",
                last_name="Nyström",
                email="nina@example.se",
            ),
            actor=f.actor_of(self.head, self.world.ward),
        )

    @cached_property
    def unit_application(self) -> Any:
        return submit_unit_application(
            UnitApplicationDraft(
                name="Vårdcentralen Nya Hjärtat",
                kind="health_centre",
                street="Nygatan 3",
                postcode="413 46",
                city="Göteborg",
                payers=f.payer_drafts(),
                phone="031-123 45 67",
            ),
            actor=f.actor_of(self.head, self.world.ward),
        )

    @cached_property
    def residents(self) -> list[tuple[Patient, Any]]:
        w = self.world
        out = []
        names = [("Anna", "Andersson"), ("Bertil", "Berg")]
        for pnr, (first, last) in zip(f.PERSONNUMMER[1:3], names, strict=True):
            patient = f.make_resident(w.ward, pnr, first_name=first, last_name=last)
            rx = f.make_prescription(
                patient=patient,
                product=w.diabetes_product,
                prescriber=w.prescriber,
                unit=w.unit,
                amount=2,
            )
            out.append((patient, rx))
        # nutrition is ordered on its own (SAM-4): the ward page says so
        f.make_prescription(
            patient=out[0][0],
            product=w.nutrition_product,
            prescriber=w.dietitian,
            unit=w.unit,
        )
        return out

    @cached_property
    def joint_order(self) -> Any:
        w = self.world
        return place_joint_order(
            JointOrderDraft(
                ward=w.ward,
                residents=[ResidentLines(p, [LineDraft(rx.pk, 10)]) for p, rx in self.residents],
                contact_person="Eva Ansvarig",
                phone="031-123 45 67",
            ),
            actor=f.actor_of(w.orderer, w.ward),
        )

    def verification_link(self) -> str:
        """The link in the CON-3 e-mail, as the prescriber gets it."""
        w = self.world
        mail.outbox = []
        send_email_verification(
            w.prescriber,
            actor=w.actor(w.prescriber),
            link_base="http://testserver/e-post/verifiera/",
        )
        [message] = mail.outbox
        found = re.search(r"\?token=(\S+)", str(message.body))
        assert found is not None, message.body
        return "?token=" + found.group(1)


# --- the browser --------------------------------------------------------------------------


class Watch:
    """Console errors (a blocked script or style is one) and uncaught page errors."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def log_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def verify_emails(*, except_user: Any = None) -> None:
    """CON-3: every address counts as verified, so the gate lets the pages through."""
    users = User.objects.all()
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    users.update(email_verified_at=clock.now(), email_verified_address=F("email"))


def assert_accessible(page: Any, name: str, watch: Watch) -> None:
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    violations = results.response["violations"]
    lines = [
        f"  {v['id']} ({v.get('impact')}): {v['help']}\n"
        + "".join(f"    {n['target']}: {n.get('failureSummary', '')!r}\n" for n in v["nodes"])
        for v in violations
    ]
    assert violations == [], f"{name}: {len(violations)} axe violation(s)\n" + "".join(lines)
    assert watch.errors == [], f"{name}: console errors {watch.errors}"
