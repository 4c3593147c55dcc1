"""The training world: a synthetic region to practise on (and to measure against).

`build_world()` is deterministic (fixed seeds), idempotent (a seeded database is
recognised by unit 602154 and left alone) and fast (bulk inserts in one
transaction). History is written straight to the tables — prescriptions and
withdrawals dated in the past, which the services would rightly refuse to create —
with withdrawal numbers below the live counter (13200001) so they never clash.
"""

# Seeded, reproducible randomness is the point here, not secrecy:
# ruff: noqa: S311

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from lmn.accounts.models import Membership, User
from lmn.catalog.models import AssortmentNews, Product, ProductArea, ProductPrice, VatRate
from lmn.core import clock
from lmn.core.actor import Role
from lmn.delivery.models import PickupPoint
from lmn.organisations.models import CareProvider, Payer, PrescribingUnit, UnitPayer
from lmn.patients.models import Dwelling, IdentityKind, Patient, RegisterRecord
from lmn.prescriptions.models import PERIOD_DAYS, Prescription
from lmn.prescriptions.states import PrescriptionStatus
from lmn.withdrawals.models import Withdrawal, WithdrawalEvent, WithdrawalLine
from lmn.withdrawals.states import WithdrawalStatus

from . import data

SEED = 1_177_602_154
SENTINEL_UNIT = "602154"
# history numbers: U13100001 upwards, always below the live counter's first 13200001
HISTORY_FIRST_NUMBER = 13_100_001
LIVE_FIRST_NUMBER = 13_200_001
BATCH = 2000
_AREA_LABELS = {
    "diabetes": "Diabetes",
    "incontinence": "Inkontinens",
    "nutrition": "Nutrition",
    "tube_feeding": "Sondmatning",
    "stoma": "Stomi",
}


class Writer(Protocol):
    """Where progress goes: a file, or a management command's stdout."""

    def write(self, text: str, /) -> Any: ...


# --- personnummer -----------------------------------------------------------------------------


def luhn_digit(nine_digits: str) -> str:
    """The check digit of YYMMDDNNN (personnummer's Luhn over the 10-digit form)."""
    total = 0
    for i, ch in enumerate(nine_digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def personnummer_stream(
    rng: random.Random,
    *,
    exclude: Iterable[str] = (),
    first_year: int = 1922,
    last_year: int = 2024,
) -> Iterator[str]:
    """Unique, Luhn-valid 12-digit personnummer (never samordningsnummer), endlessly.

    Ages lean old, as the patients of this system do.
    """
    seen = set(exclude)
    span = last_year - first_year
    while True:
        # the larger of two draws leans towards earlier years (older people)
        offset = min(rng.randint(0, span), rng.randint(0, span))
        year = first_year + offset
        month = rng.randint(1, 12)
        day = rng.randint(1, 28 if month == 2 else 30)
        serial = rng.randint(1, 999)
        short = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
        pnr = f"{year}{month:02d}{day:02d}{serial:03d}{luhn_digit(short)}"
        if pnr not in seen:
            seen.add(pnr)
            yield pnr


def birth_date_of(pnr: str) -> dt.date:
    return dt.date(int(pnr[:4]), int(pnr[4:6]), int(pnr[6:8]))


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if ch.isalnum() or ch in ".-")


class NamePool:
    """Names and streets sampled once from Faker sv_SE, then drawn with a seeded RNG.

    Drawing from pools keeps millions of register rows cheap to make.
    """

    def __init__(self, seed: int = SEED) -> None:
        fake = Faker("sv_SE")
        fake.seed_instance(seed)
        self.male = sorted({fake.first_name_male() for _ in range(600)})
        self.female = sorted({fake.first_name_female() for _ in range(600)})
        self.last = sorted({fake.last_name() for _ in range(800)})
        self.streets = sorted({fake.street_name() for _ in range(800)})

    def person(
        self, rng: random.Random, pnr: str
    ) -> tuple[str, str, str]:  # first name, last name, street
        female = int(pnr[10]) % 2 == 0  # the ninth digit of the number: even for women
        first = rng.choice(self.female if female else self.male)
        street = f"{rng.choice(self.streets)} {rng.randint(1, 120)}"
        return first, rng.choice(self.last), street


def register_rows(
    count: int, *, seed: int = SEED, exclude: Iterable[str] = ()
) -> Iterator[dict[str, Any]]:
    """`count` synthetic register persons as column dicts (for bulk_create or executemany)."""
    rng = random.Random(seed)
    pool = NamePool(seed)
    numbers = personnummer_stream(rng, exclude=exclude)
    for _ in range(count):
        pnr = next(numbers)
        first, last, street = pool.person(rng, pnr)
        draw = rng.random()
        region_name = ""
        if draw < 0.85:
            region = "VG"
            city, prefix = rng.choice(data.PLACES_VG)
        elif draw < 0.95:
            region = "HALLAND"
            city, prefix = rng.choice(data.PLACES_HALLAND)
        else:
            region = "OTHER"
            city, prefix, region_name = rng.choice(data.PLACES_OTHER)
        age = 2026 - int(pnr[:4])
        if age >= 80 and rng.random() < 0.25:
            dwelling = Dwelling.CARE_HOME
        else:
            dwelling = Dwelling.MULTI_FAMILY if rng.random() < 0.55 else Dwelling.HOUSE
        yield {
            "identifier": pnr,
            "first_name": first,
            "last_name": last,
            "street": street,
            "postcode": f"{prefix}{rng.randint(0, 99):02d}",
            "city": city,
            "dwelling": str(dwelling),
            "region": region,
            "region_name": region_name,
            "protected": rng.random() < 0.001,
        }


# --- the builder ------------------------------------------------------------------------------


def is_seeded() -> bool:
    return PrescribingUnit.objects.filter(customer_number=SENTINEL_UNIT).exists()


NOT_IN_PRODUCTION = (
    "LMN_TRAINING=0 (produktion): träningsvärlden och träningsinloggningarna skapas inte."
)


def build_world(*, patients: int = 10_000, stdout: Writer | None = None) -> bool:
    """Build the training world; returns False (and changes nothing) if it exists already.

    `patients` is the number of persons in the synthetic register (at least the seven
    fixed ones); a few hundred of them become LMN patients with history.
    """
    if not settings.TRAINING_MODE:
        # production: no training logins (password "demo") and no synthetic patients
        _say(stdout, NOT_IN_PRODUCTION)
        return False
    if is_seeded():
        _say(stdout, "Träningsvärlden finns redan; inget ändrat.")
        print_logins(stdout)
        return False
    with transaction.atomic():
        builder = _Builder(register_size=max(patients, len(data.FIXED_PERSONS)))
        builder.build(stdout)
    print_logins(stdout)
    return True


def _say(stdout: Writer | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def login_rows() -> list[tuple[str, str, str, str, str]]:
    """(username, role, unit, areas, password) of each training login."""
    rows = []
    for spec in data.LOGINS:
        unit = ""
        if spec.unit:
            unit = f"{spec.unit} {dict((u.customer_number, u.name) for u in data.UNITS)[spec.unit]}"
        areas = ", ".join(_AREA_LABELS[code] for code in spec.areas)
        if spec.role == Role.DOCTOR:
            areas = "alla (läkare)"
        if spec.joint_ordering:
            areas += " + sambeställning"
        rows.append((spec.username, str(Role.LABELS[spec.role]), unit, areas, data.DEMO_PASSWORD))
    return rows


def print_logins(stdout: Writer | None) -> None:
    if stdout is None:
        return
    header = ("Användarnamn", "Roll", "Enhet", "Produktområden", "Lösenord")
    rows = [header, *login_rows()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    _say(stdout, "\nTräningsinloggningar:")
    for n, row in enumerate(rows):
        _say(stdout, "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if n == 0:
            _say(stdout, "  " + "  ".join("-" * w for w in widths))


class _Builder:
    def __init__(self, *, register_size: int) -> None:
        self.register_size = register_size
        self.rng = random.Random(SEED)
        self.fake = Faker("sv_SE")
        self.fake.seed_instance(SEED)
        self.now = clock.now()
        self.today = clock.today()
        self.areas = {a.code: a for a in ProductArea.objects.all()}
        self.hsa_seq = 0

    def build(self, stdout: Writer | None) -> None:
        steps = [
            ("sortiment", self.products),
            ("enheter och betalare", self.units),
            ("inloggningar", self.logins),
            ("utlämningsställen", self.pickup_points),
            ("folkbokföringsregister", self.register),
            ("patienter och historik", self.history),
        ]
        for label, step in steps:
            started = clock.now()
            step()
            took = (clock.now() - started).total_seconds()
            _say(stdout, f"  {label}: klart ({took:.1f} s)")

    # catalogue ---------------------------------------------------------------------------

    def products(self) -> None:
        rng = random.Random(SEED + 1)
        used: set[str] = set()
        products = []
        for line in data.PRODUCT_LINES:
            for variant in line.variants:
                while True:
                    article = str(rng.randint(100_000, 9_999_999))
                    if article not in used:
                        used.add(article)
                        break
                price = Decimal(str(round(line.price * rng.uniform(0.85, 1.2), 2)))
                products.append(
                    Product(
                        article_number=article,
                        name=line.name.format(v=variant),
                        area=self.areas[line.area],
                        package_size=line.package_size,
                        ordering_unit=line.ordering_unit,
                        price_sek=price,
                        procured=True,
                        stocked=rng.random() < 0.9,
                        recommended=rng.random() < 0.2,
                        stock_quantity=0 if rng.random() < 0.08 else rng.randint(20, 5000),
                    )
                )
        # a few products outside the procured assortment (not REK, not stocked)
        for product in rng.sample(products, 6):
            product.procured = product.stocked = product.recommended = False
            product.stock_quantity = 0
        self.products_list = Product.objects.bulk_create(products)
        self.prices()

    def prices(self) -> None:
        """A price per product from long ago, at the catalogue price; nutrition is food (INV-1)."""
        # the migration seeds these; a database flushed since (a test's) has them made again
        rates = {
            code: VatRate.objects.get_or_create(
                code=code, defaults={"percent": Decimal(code), "name": f"Moms {code} %"}
            )[0]
            for code in ("25", "12")
        }
        ProductPrice.objects.bulk_create(
            ProductPrice(
                product=p,
                valid_from=dt.date(2000, 1, 1),
                unit_price=p.price_sek,
                vat_rate=rates["12" if p.area.code == ProductArea.NUTRITION else "25"],
            )
            for p in self.products_list
        )
        self.consumption = {
            line.name.format(v=v): line.consumption
            for line in data.PRODUCT_LINES
            for v in line.variants
        }
        AssortmentNews.objects.bulk_create(
            AssortmentNews(
                area=self.areas[code] if code else None,
                title=title,
                body=body,
                published=self.today - dt.timedelta(days=days_ago),
            )
            for code, days_ago, title, body in data.ASSORTMENT_NEWS
        )

    # organisation ------------------------------------------------------------------------

    def units(self) -> None:
        providers = {
            key: CareProvider.objects.create(name=name, kind=kind, hsa_id=hsa_id)
            for key, (name, kind, hsa_id) in data.PROVIDERS.items()
        }
        shared = {
            key: Payer.objects.create(
                name=name,
                invoice_reference=ref,
                invoice_street=street,
                invoice_postcode=postcode,
                invoice_city=city,
            )
            for key, (name, ref, street, postcode, city) in data.SHARED_PAYERS.items()
        }
        self.shared_payers = shared
        self.units_by_number: dict[str, PrescribingUnit] = {}
        links = []
        for n, spec in enumerate(data.UNITS):
            unit = PrescribingUnit.objects.create(
                customer_number=spec.customer_number,
                name=spec.name,
                kind=spec.kind,
                care_provider=providers[spec.provider],
                hsa_id=f"SE2321000131-F{int(spec.customer_number) * 10:09d}",
                street=spec.street,
                postcode=spec.postcode,
                city=spec.city,
                phone=f"010-4{n:02d} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
                delivery_place=spec.delivery_place,
            )
            self.units_by_number[spec.customer_number] = unit
            own = Payer.objects.create(
                name=f"{providers[spec.provider].name}, {spec.name}",
                invoice_reference=f"Kst {self.rng.randint(1000, 9999)}",
                invoice_street=f"Box {self.rng.randint(100, 9999)}",
                invoice_postcode=spec.postcode,
                invoice_city=spec.city,
            )
            overrides = dict(spec.payer_overrides)
            for code in data.ALL_AREAS:
                payer = shared[overrides[code]] if code in overrides else own
                links.append(UnitPayer(unit=unit, product_area=self.areas[code], payer=payer))
        UnitPayer.objects.bulk_create(links)
        self.payer_of = {(link.unit_id, link.product_area_id): link.payer_id for link in links}

    # people ------------------------------------------------------------------------------

    def pickup_points(self) -> None:
        hours = data.PICKUP_POINT_HOURS
        PickupPoint.objects.bulk_create(
            PickupPoint(
                code=code,
                name=name,
                street=street,
                postcode=postcode,
                city=city,
                opening_hours=hours[i % len(hours)],
            )
            for i, (code, name, street, postcode, city) in enumerate(data.PICKUP_POINTS)
        )

    def _next_hsa(self) -> str:
        self.hsa_seq += 1
        return f"SE2321000131-E{self.hsa_seq:09d}"

    def logins(self) -> None:
        password = make_password(data.DEMO_PASSWORD)  # one hash: nine logins, one password
        self.logins_by_name: dict[str, User] = {}
        for spec in data.LOGINS:
            email = f"{_ascii(spec.first_name)}.{_ascii(spec.last_name)}@vgregion.se"
            user = User.objects.create(
                username=spec.username,
                password=password,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=email,
                # verified, so trainees are not stopped by the 6-monthly check (CON-3)
                email_verified_at=clock.now(),
                email_verified_address=email,
                hsa_id=self._next_hsa(),
                phone=f"010-441 {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
                is_staff=spec.admin,
                is_superuser=spec.admin,
                training=True,
            )
            unit = self.units_by_number[spec.unit] if spec.unit else None
            membership = Membership.objects.create(
                user=user,
                unit=unit,
                role=spec.role,
                joint_ordering=spec.joint_ordering,
                payer=self.shared_payers[spec.payer] if spec.payer else None,
            )
            if spec.areas:
                membership.areas.set([self.areas[code] for code in spec.areas])
            self.logins_by_name[spec.username] = user
        # one prescriber without a login in each other unit, who wrote that unit's history
        self.staff_of: dict[str, User] = {}
        unusable = make_password(None)
        staff = []
        for unit_spec in data.UNITS:
            if unit_spec.customer_number in ("602154", "604500"):
                continue
            first, last = self.fake.first_name(), self.fake.last_name()
            staff.append(
                User(
                    username=f"personal{unit_spec.customer_number}",
                    password=unusable,
                    first_name=first,
                    last_name=last,
                    email=f"{_ascii(first)}.{_ascii(last)}@example.se",
                    hsa_id=self._next_hsa(),
                    phone=f"010-44{self.rng.randint(2, 9)} {self.rng.randint(10, 99)} "
                    f"{self.rng.randint(10, 99)}",
                    training=True,
                )
            )
        staff = User.objects.bulk_create(staff)
        memberships = [
            Membership(
                user=user, unit=self.units_by_number[user.username[-6:]], role=Role.PRESCRIBER
            )
            for user in staff
        ]
        memberships = Membership.objects.bulk_create(memberships)
        area_links = [
            Membership.areas.through(membership_id=m.pk, productarea_id=area.pk)
            for m in memberships
            for area in self.areas.values()
        ]
        Membership.areas.through.objects.bulk_create(area_links)
        for user in staff:
            self.staff_of[user.username[-6:]] = user
        self.staff_of["604500"] = self.logins_by_name["annanenhet"]

    def register(self) -> None:
        fixed = {p.identifier for p in data.FIXED_PERSONS}
        records = [
            RegisterRecord(
                identifier=p.identifier,
                first_name=p.first_name,
                last_name=p.last_name,
                street=p.street,
                postcode=p.postcode,
                city=p.city,
                dwelling=p.dwelling,
                region=p.region,
                region_name=p.region_name,
                protected=p.protected,
            )
            for p in data.FIXED_PERSONS
        ]
        generated = self.register_size - len(records)
        records += [RegisterRecord(**row) for row in register_rows(generated, exclude=fixed)]
        RegisterRecord.objects.bulk_create(records, batch_size=BATCH)
        self.register_records = records

    # history -----------------------------------------------------------------------------

    def history(self) -> None:
        rng = random.Random(SEED + 2)
        by_id = {r.identifier: r for r in self.register_records}
        chosen = [by_id[data.TOLVAN], by_id[data.CARE_HOME_PERSON]]
        candidates = [
            r
            for r in self.register_records
            if r.region == "VG"
            and not r.protected
            and r.identifier not in {p.identifier for p in data.FIXED_PERSONS}
        ]
        count = min(400, max(40, self.register_size // 25))
        chosen += rng.sample(candidates, min(count, len(candidates)))
        care_homes = [u for u in self.units_by_number.values() if u.kind == "special_housing"]
        patients = []
        on_ward = 0
        for record in chosen:
            home = None
            if record.identifier == data.CARE_HOME_PERSON:
                home = self.units_by_number["603001"]
            elif record.dwelling == Dwelling.CARE_HOME:
                home = rng.choice(care_homes)
                # the training ward always has residents to joint order for (SAM-1)
                if on_ward < data.TRAINING_WARD_RESIDENTS:
                    home, on_ward = self.units_by_number["603001"], on_ward + 1
            patients.append(
                Patient(
                    identity_kind=IdentityKind.PERSONNUMMER,
                    identifier=record.identifier,
                    first_name=record.first_name,
                    last_name=record.last_name,
                    birth_date=birth_date_of(record.identifier),
                    street=record.street,
                    postcode=record.postcode,
                    city=record.city,
                    dwelling=record.dwelling,
                    resident_region=record.region,
                    region_name=record.region_name,
                    care_home_unit=home,
                )
            )
        patients = Patient.objects.bulk_create(patients, batch_size=BATCH)
        prescriptions = self._prescriptions(rng, patients)
        self._withdrawals(rng, prescriptions)

    def _prescriber(self, unit: PrescribingUnit, area: str) -> User:
        if unit.customer_number == SENTINEL_UNIT:
            name = "dietist" if area in ("nutrition", "tube_feeding") else "forskrivare"
            return self.logins_by_name[name]
        return self.staff_of[unit.customer_number]

    def _prescription(
        self,
        patient: Patient,
        product: Product,
        unit: PrescribingUnit,
        valid_from: dt.date,
        *,
        status: str = PrescriptionStatus.ACTIVE,
    ) -> Prescription:
        amount, period = self.consumption[product.name]
        return Prescription(
            patient=patient,
            product=product,
            unit=unit,
            prescriber=self._prescriber(unit, product.area.code),
            consumption_amount=amount,
            consumption_period=period,
            valid_from=valid_from,
            valid_until=valid_from + dt.timedelta(days=365),
            max_supply_days=90,
            status=status,
        )

    def _prescriptions(self, rng: random.Random, patients: list[Patient]) -> list[Prescription]:
        procured = defaultdict(list)
        for product in self.products_list:
            if product.procured:
                procured[product.area.code].append(product)
        by_name = {p.name: p for p in self.products_list}
        units = self.units_by_number
        prescribing_units = [
            u
            for u in units.values()
            if u.kind not in ("asylum", "special_housing") and u.customer_number != "604500"
        ]
        rows = []
        for patient in patients:
            if patient.identifier == data.TOLVAN:
                start = self.today - dt.timedelta(days=120)
                for name in (
                    "Testremsor FreeStyle Lite",
                    "Pennkanyl 4 mm BD Micro-Fine Ultra",
                    "Inkontinensskydd TENA Lady Normal",
                ):
                    rows.append(self._prescription(patient, by_name[name], units["602154"], start))
                continue
            if patient.care_home_unit is not None:
                unit = patient.care_home_unit
            elif rng.random() < 0.3:
                unit = units[SENTINEL_UNIT]
            elif rng.random() < 0.1:
                unit = units["604500"]
            else:
                unit = rng.choice(prescribing_units)
            area_codes = rng.sample(list(data.ALL_AREAS), rng.choice((1, 1, 1, 2, 2, 3)))
            on_ward = unit.customer_number == "603001"
            if on_ward and set(area_codes) <= {"nutrition", "tube_feeding"}:
                area_codes.append("incontinence")  # something to joint order (SAM-4)
            start = self.today - dt.timedelta(days=rng.randint(5, 500))
            for code in area_codes:
                status = (
                    PrescriptionStatus.ENDED if rng.random() < 0.05 else PrescriptionStatus.ACTIVE
                )
                product = rng.choice(procured[code])
                rows.append(self._prescription(patient, product, unit, start, status=status))
        return Prescription.objects.bulk_create(rows, batch_size=BATCH)

    def _recent_on_training_ward(self, placed_at: dt.datetime, plist: list[Prescription]) -> bool:
        """The training ward's residents (but CARE_HOME_PERSON) have had nothing delivered
        in the last 100 days, so a joint order for several of them can be tried (SAM-1),
        while CARE_HOME_PERSON shows what must wait."""
        patient = plist[0].patient
        return (
            plist[0].unit.customer_number == "603001"
            and patient.identifier != data.CARE_HOME_PERSON
            and placed_at.date() > self.today - dt.timedelta(days=100)
        )

    def _withdrawals(self, rng: random.Random, prescriptions: list[Prescription]) -> None:
        groups: dict[tuple[int, int], list[Prescription]] = defaultdict(list)
        for p in prescriptions:
            groups[(p.patient_id, p.unit_id)].append(p)
        orders = []  # (placed_at, prescriptions, patient, unit)
        for plist in groups.values():
            first = plist[0]
            if first.patient.identifier == data.TOLVAN:
                orders.append((self._at(rng, self.today - dt.timedelta(days=105)), plist))
                continue
            day = min(p.valid_from for p in plist) + dt.timedelta(days=rng.randint(0, 6))
            while day <= self.today - dt.timedelta(days=1):
                valid = [p for p in plist if p.valid_from <= day <= p.valid_until]
                if valid:
                    orders.append((self._at(rng, day), valid))
                day += dt.timedelta(days=rng.randint(75, 95))
        orders = [o for o in orders if not self._recent_on_training_ward(*o)]
        orders.sort(key=lambda o: o[0])
        withdrawals, lines_for, statuses = [], [], []
        bestallare = self.logins_by_name["bestallare"]
        kundtjanst = self.logins_by_name["kundtjanst"]
        for n, (placed_at, plist) in enumerate(orders):
            patient, unit = plist[0].patient, plist[0].unit
            if unit.customer_number == "603001":
                orderer, role = bestallare, Role.ORDERER
            elif rng.random() < 0.1:
                orderer, role = kundtjanst, Role.CUSTOMER_SERVICE
            else:
                orderer, role = plist[0].prescriber, Role.PRESCRIBER
            status = self._status(rng, placed_at)
            if patient.identifier == data.TOLVAN:
                status = WithdrawalStatus.DELIVERED  # his one past withdrawal, as promised
            withdrawals.append(
                Withdrawal(
                    number=f"U{HISTORY_FIRST_NUMBER + n:08d}",
                    patient=patient,
                    ordering_unit=unit,
                    ordered_by=orderer,
                    ordered_by_role=role,
                    status=status,
                    placed_at=placed_at,
                    destination="door",
                    speed="standard",
                    street=patient.street,
                    postcode=patient.postcode,
                    city=patient.city,
                    # OUT-5: a door code is always asked for at a multi-family address
                    door_code=(
                        str(rng.randint(1000, 9999))
                        if patient.dwelling == Dwelling.MULTI_FAMILY
                        else ""
                    ),
                    phone=f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)}",
                    notify_by="sms",
                    promised_delivery_date=placed_at.date() + dt.timedelta(days=7),
                )
            )
            lines_for.append(plist)
            statuses.append(status)
        assert HISTORY_FIRST_NUMBER + len(orders) < LIVE_FIRST_NUMBER
        withdrawals = Withdrawal.objects.bulk_create(withdrawals, batch_size=BATCH)
        lines, events = [], []
        for withdrawal, plist in zip(withdrawals, lines_for, strict=True):
            for p in plist:
                quantity = math.ceil(
                    p.consumption_amount * p.max_supply_days / PERIOD_DAYS[p.consumption_period]
                )
                lines.append(
                    WithdrawalLine(
                        withdrawal=withdrawal,
                        prescription=p,
                        product=p.product,
                        quantity=quantity,
                        payer_id=self.payer_of[(p.unit_id, p.product.area_id)],
                    )
                )
            events += self._events(withdrawal)
        WithdrawalLine.objects.bulk_create(lines, batch_size=BATCH)
        WithdrawalEvent.objects.bulk_create(events, batch_size=BATCH)

    def _at(self, rng: random.Random, day: dt.date) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(rng.randint(7, 17), rng.randint(0, 59)))
        return local.replace(tzinfo=clock.STOCKHOLM)

    def _status(self, rng: random.Random, placed_at: dt.datetime) -> str:
        age = (self.now - placed_at).days
        if rng.random() < 0.03:
            return WithdrawalStatus.CANCELLED
        if age < 1:
            return WithdrawalStatus.PLACED
        if age < 2:
            return WithdrawalStatus.PICKED
        if age < 4:
            return WithdrawalStatus.SHIPPED
        if rng.random() < 0.01:
            return WithdrawalStatus.RETURNED
        return WithdrawalStatus.DELIVERED

    def _events(self, withdrawal: Withdrawal) -> list[WithdrawalEvent]:
        paths: dict[str, list[str]] = {
            WithdrawalStatus.PLACED: ["placed"],
            WithdrawalStatus.CANCELLED: ["placed", "cancelled"],
            WithdrawalStatus.PICKED: ["placed", "picked"],
            WithdrawalStatus.SHIPPED: ["placed", "picked", "shipped"],
            WithdrawalStatus.DELIVERED: ["placed", "picked", "shipped", "delivered"],
            WithdrawalStatus.RETURNED: ["placed", "picked", "shipped", "returned"],
        }
        path = paths[withdrawal.status]
        actor = (withdrawal.ordered_by.hsa_id or "") if withdrawal.ordered_by else ""
        events, previous = [], ""
        for step, status in enumerate(path):
            events.append(
                WithdrawalEvent(
                    withdrawal=withdrawal,
                    at=withdrawal.placed_at + dt.timedelta(hours=20 * step),
                    from_status=previous,
                    to_status=status,
                    actor_hsa_id=actor if step == 0 else "system:distributor",
                )
            )
            previous = status
        return events
