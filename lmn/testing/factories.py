"""Test data builders shared by every app's tests (and usable from a shell).

Plain functions with keyword defaults: a test states only what matters to it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from lmn.accounts.models import Membership, User
from lmn.catalog.models import Product, ProductArea, ProductPrice, VatRate
from lmn.core.actor import Actor, Role
from lmn.organisations.models import CareProvider, Payer, PrescribingUnit, UnitPayer
from lmn.patients.models import Dwelling, Patient, RegisterRecord
from lmn.prescriptions.models import Prescription

_seq = itertools.count(1)
ALL_AREAS = [
    ProductArea.DIABETES,
    ProductArea.INCONTINENCE,
    ProductArea.NUTRITION,
    ProductArea.TUBE_FEEDING,
    ProductArea.STOMA,
]

# valid personnummer (Luhn) for tests; the first ones are the training world's
PERSONNUMMER = [
    "191212121212",
    "194512242498",
    "201503151597",
    "197608080813",
    "198802141427",
    "193001010176",
]


AREA_NAMES = {
    ProductArea.DIABETES: "Diabetes",
    ProductArea.INCONTINENCE: "Inkontinens, blås- och tarmdysfunktion",
    ProductArea.NUTRITION: "Nutrition",
    ProductArea.TUBE_FEEDING: "Nutrition – Sondmatningstillbehör (plast)",
    ProductArea.STOMA: "Stomi",
}


def area(code: str) -> ProductArea:
    """The area the migration made; made again after a transactional test's flush."""
    found, _ = ProductArea.objects.get_or_create(
        code=code, defaults={"name": AREA_NAMES[code], "sort_order": ALL_AREAS.index(code)}
    )
    return found


def make_care_provider(kind: str = CareProvider.Kind.REGION) -> CareProvider:
    """The region (one, shared), or a new municipality or private provider."""
    if kind == CareProvider.Kind.REGION:
        region, _ = CareProvider.objects.get_or_create(
            kind=kind,
            name="Västra Götalandsregionen",
            defaults={"hsa_id": "SE2321000131-E000000000001"},
        )
        return region
    n = next(_seq)
    return CareProvider.objects.create(
        name=f"Vårdgivare {n}", kind=kind, hsa_id=f"SE55600000{n:02d}-E000000000001"
    )


def make_unit(
    customer_number: str | None = None,
    *,
    name: str = "Vårdcentralen Test",
    kind: str = PrescribingUnit.Kind.HEALTH_CENTRE,
    provider_kind: str = CareProvider.Kind.REGION,
    care_provider: CareProvider | None = None,
    payer_per_area: bool = True,
) -> PrescribingUnit:
    """A unit with a payer for every product area (UNIT-1, UNIT-2).

    Region units share one care provider, the region; another kind gets a provider of its
    own (a municipality, a private provider: another care provider under PDL-1).
    """
    n = next(_seq)
    provider = care_provider or make_care_provider(provider_kind)
    unit = PrescribingUnit.objects.create(
        customer_number=customer_number or f"{610000 + n:06d}",
        name=name,
        kind=kind,
        care_provider=provider,
        street="Vårdvägen 1",
        postcode="41345",
        city="Göteborg",
    )
    if payer_per_area:
        for code in ALL_AREAS:
            payer = Payer.objects.create(
                name=f"Betalare {unit.customer_number} {code}",
                invoice_street="Box 1",
                invoice_postcode="40530",
                invoice_city="Göteborg",
            )
            UnitPayer.objects.create(unit=unit, product_area=area(code), payer=payer)
    return unit


def make_user(
    username: str | None = None,
    *,
    unit: PrescribingUnit | None = None,
    role: str = Role.PRESCRIBER,
    areas: list[str] | None = None,
    password: str = "demo-pass-123",
    joint_ordering: bool = False,
    payer: Payer | None = None,
) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        username=username or f"user{n}",
        password=password,
        first_name="Test",
        last_name=f"Användare{n}",
        hsa_id=f"SE2321000131-E{n:09d}",
        email=f"user{n}@example.se",
        phone="031-123 45 67",
    )
    if role:
        add_membership(
            user, unit=unit, role=role, areas=areas, joint_ordering=joint_ordering, payer=payer
        )
    return user


def add_membership(
    user: User,
    *,
    unit: PrescribingUnit | None,
    role: str,
    areas: list[str] | None = None,
    joint_ordering: bool = False,
    payer: Payer | None = None,
) -> Membership:
    m = Membership.objects.create(
        user=user, unit=unit, role=role, joint_ordering=joint_ordering, payer=payer
    )
    if areas is None:
        areas = ALL_AREAS if role in (Role.PRESCRIBER, Role.ORDERER) else []
    m.areas.set(ProductArea.objects.filter(code__in=areas))
    return m


def actor_of(user: User, unit: PrescribingUnit | None = None) -> Actor:
    from lmn.accounts.services import actor_for

    memberships = user.memberships.filter(active=True)
    if unit is not None:
        memberships = memberships.filter(unit=unit)
    return actor_for(memberships.get())


def make_product(
    area_code: str = ProductArea.DIABETES,
    *,
    name: str | None = None,
    article_number: str | None = None,
    recommended: bool = False,
    procured: bool = True,
    stocked: bool = True,
    stock_quantity: int = 1000,
    ordering_unit: str = "st",
    price: str = "100.00",
) -> Product:
    n = next(_seq)
    made = Product.objects.create(
        article_number=article_number or f"{700000 + n}",
        name=name or f"Testprodukt {n}",
        area=area(area_code),
        package_size="1 st",
        ordering_unit=ordering_unit,
        price_sek=Decimal(price),
        procured=procured,
        stocked=stocked,
        recommended=recommended,
        stock_quantity=stock_quantity,
    )
    # a price from long ago, at the catalogue price and the area's usual VAT rate (INV-1)
    ProductPrice.objects.create(
        product=made,
        valid_from=dt.date(2000, 1, 1),
        unit_price=Decimal(price),
        vat_rate=vat_rate("12" if area_code == ProductArea.NUTRITION else "25"),
    )
    return made


def vat_rate(code: str) -> VatRate:
    """A seeded VAT rate (made again if a flushing test removed the migration's rows)."""
    made, _ = VatRate.objects.get_or_create(
        code=code,
        defaults={
            "percent": Decimal(code),
            "category": VatRate.ZERO if code == "0" else VatRate.STANDARD,
            "name": f"Moms {code} %",
        },
    )
    return made


def register_person(identifier: str, **overrides: Any) -> RegisterRecord:
    """A person in the synthetic population register."""
    values: dict[str, Any] = {
        "first_name": "Tolvan",
        "last_name": "Tolvansson",
        "street": "Storgatan 1",
        "postcode": "41301",
        "city": "Göteborg",
        "dwelling": Dwelling.HOUSE,
        "region": "VG",
    }
    values.update(overrides)
    return RegisterRecord.objects.create(identifier=identifier, **values)


def make_patient(identifier: str | None = None, **overrides: Any) -> Patient:
    identifier = identifier or PERSONNUMMER[0]
    values: dict[str, Any] = {
        "identity_kind": "personnummer",
        "first_name": "Tolvan",
        "last_name": "Tolvansson",
        "birth_date": dt.date(int(identifier[:4]), int(identifier[4:6]), int(identifier[6:8])),
        "street": "Storgatan 1",
        "postcode": "41301",
        "city": "Göteborg",
        "resident_region": "VG",
    }
    values.update(overrides)
    return Patient.objects.create(identifier=identifier, **values)


def make_child(identifier: str = PERSONNUMMER[2], **overrides: Any) -> Patient:
    """A patient under 18 (born 2015-03-15 by default, as in the training world)."""
    overrides.setdefault("first_name", "Lilla")
    overrides.setdefault("last_name", "Tolvansson")
    child = make_patient(identifier, **overrides)
    assert child.birth_date.year >= 2009, "a child's personnummer is needed"
    return child


def make_prescription(
    *,
    patient: Patient,
    product: Product,
    prescriber: User,
    unit: PrescribingUnit,
    amount: int = 1,
    per: str = "day",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    max_supply_days: int = 90,
    care_cannot_wait: bool | None = None,
    authorised_by_case: bool | None = None,
) -> Prescription:
    """Through the service, so tests see what users get.

    A product outside the assortment is prescribed as if its case had been approved
    (OOA-1) unless `authorised_by_case` says otherwise.
    """
    from lmn.prescriptions.services import PrescriptionDraft, create_prescription

    return create_prescription(
        PrescriptionDraft(
            patient=patient,
            product=product,
            consumption_amount=amount,
            consumption_period=per,
            valid_from=valid_from,
            valid_until=valid_until,
            max_supply_days=max_supply_days,
            care_cannot_wait=care_cannot_wait,
            justification="" if product.procured else "Sortimentet räcker inte (OOA-1).",
        ),
        actor=actor_of(prescriber, unit),
        authorised_by_case=(
            not product.procured if authorised_by_case is None else authorised_by_case
        ),
    )


def make_pickup_point(code: str = "PN-41301", **overrides: Any) -> Any:
    from lmn.delivery.models import PickupPoint

    values: dict[str, Any] = {
        "name": "ICA Nära Linné",
        "street": "Linnégatan 10",
        "postcode": "41304",
        "city": "Göteborg",
    }
    values.update(overrides)
    return PickupPoint.objects.create(code=code, **values)


def make_asylum_unit() -> PrescribingUnit:
    """The region's asylum unit, 601628, invoiced for asylum seekers and persons without
    permit (ASYL-3, UT-2)."""
    found = PrescribingUnit.objects.filter(customer_number="601628").first()
    return found or make_unit("601628", name="Asylenheten VGR", kind=PrescribingUnit.Kind.ASYLUM)


def case_draft(kind: str, *, product: Product, **overrides: Any) -> Any:
    """A complete case form of `kind`; overrides state what a test is about."""
    from lmn.cases.services import CaseDraft
    from lmn.core import clock

    values: dict[str, Any] = {"consumption_amount": 2, "consumption_period": "day"}
    if kind == "asylum":
        values.update(
            first_name="Amina",
            last_name="Yusuf",
            birth_date=dt.date(1990, 5, 1),
            lma_number="50-008920/4",
            lma_valid_until=clock.today() + dt.timedelta(days=180),
            care_cannot_wait=True,
        )
    elif kind == "without_permit":
        values.update(
            first_name="Omar",
            last_name="Haddad",
            birth_date=dt.date(1985, 3, 3),
            care_cannot_wait=True,
        )
    elif kind == "protected_identity":
        values.update(care_of="Sjuksköterska Berg")
    elif kind == "out_of_assortment":
        values.update(justification="Upphandlade skydd orsakar hudskada; behöver annan storlek.")
    values.update(overrides)
    return CaseDraft(kind=kind, product=product, **values)


def make_case(
    kind: str, *, user: User, unit: PrescribingUnit, product: Product, **overrides: Any
) -> Any:
    """A case submitted through the service by `user` acting in `unit`."""
    from lmn.cases.services import submit_case

    return submit_case(case_draft(kind, product=product, **overrides), actor=actor_of(user, unit))


def make_ward(
    customer_number: str | None = None,
    *,
    name: str = "Avdelning Linden, Solgårdens särskilda boende",
    delivery_place: str = "Godsmottagningen, entréplan",
) -> PrescribingUnit:
    """A special-housing ward with a designated delivery place (SAM-3)."""
    ward = make_unit(customer_number, name=name, kind=PrescribingUnit.Kind.SPECIAL_HOUSING)
    ward.delivery_place = delivery_place
    ward.save(update_fields=["delivery_place"])
    return ward


def make_resident(ward: PrescribingUnit, identifier: str, **overrides: Any) -> Patient:
    """A patient living on `ward` (care_home_unit)."""
    overrides.setdefault("dwelling", Dwelling.CARE_HOME)
    return make_patient(identifier, care_home_unit=ward, **overrides)


def make_head(unit: PrescribingUnit, username: str | None = None) -> User:
    """A head of unit (verksamhetschef) of `unit` (ACC-1)."""
    return make_user(username, unit=unit, role=Role.HEAD_OF_UNIT, areas=[])


def make_payer_contact(payer: Payer, username: str | None = None) -> User:
    """The payer's contact (Role.PAYER): sees what the payer pays for, in every unit."""
    return make_user(username, unit=None, role=Role.PAYER, areas=[], payer=payer)


def make_admin(username: str | None = None) -> User:
    """LMN administration: decides on access and unit applications."""
    return make_user(username, unit=None, role=Role.ADMIN, areas=[])


def payer_drafts(name: str = "Kommunen", postcode: str = "405 30") -> list[Any]:
    """A payer with invoice address for every product area (UNIT-2, UNIT-3)."""
    from lmn.organisations.services import PayerDraft

    return [
        PayerDraft(
            area_code=code,
            name=f"{name} {code}" if code == ProductArea.NUTRITION else name,
            invoice_street="Box 1",
            invoice_postcode=postcode,
            invoice_city="Göteborg",
            invoice_reference="Ref 123",
        )
        for code in ALL_AREAS
    ]


def in_care(patient: Patient, user: User, unit: PrescribingUnit | None = None) -> None:
    """The user states a care relationship (with consent) with the patient for today, so
    that other units' prescriptions and withdrawals open to them (PDL-1)."""
    from lmn.patients.services.care import state_care_relationship

    state_care_relationship(
        patient, reason="Deltar i vården (test)", consent=True, actor=actor_of(user, unit)
    )
