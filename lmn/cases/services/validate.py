"""Validating a filled-in case form: every problem at once, nothing written."""

from __future__ import annotations

from lmn.catalog.models import ProductArea
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, Problem
from lmn.patients.identifiers import parse_lma, parse_personal_number
from lmn.patients.models import Region
from lmn.patients.queries import patients_visible_to
from lmn.patients.services import (
    check_birth_date,
    findable_in_register,
    strip_ut_suffix,
)
from lmn.prescriptions.services import (
    ADULT_AGE,
    age_on,
    consumption_problems,
)

from ..states import CaseKind
from .common import CaseDraft, _blank

_PHARMACY_AREAS = {ProductArea.DIABETES, ProductArea.STOMA}
_FORM_AREAS_OUTSIDE_REGION = {
    ProductArea.INCONTINENCE,
    ProductArea.NUTRITION,
    ProductArea.TUBE_FEEDING,
}


def validate_case(draft: CaseDraft, *, actor: Actor) -> list[Problem]:
    """Every problem with the filled-in form, all at once; writes nothing."""
    problems: list[Problem] = []
    if draft.kind not in CaseKind.values:
        return [Problem("invalid_case_kind", "Välj vilken sorts ärende det gäller.", "kind")]
    area = draft.product.area.code
    if not actor.may_prescribe_in(area):
        problems.append(
            Problem(
                "ACC-3",
                f"Du saknar behörighet att förskriva inom {draft.product.area.name}.",
                "article_number",
            )
        )
    if not draft.product.active:
        problems.append(
            Problem(
                "product_inactive", "Produkten finns inte längre i sortimentet.", "article_number"
            )
        )
    problems.extend(consumption_problems(draft.consumption_amount, draft.consumption_period))
    if len(draft.instructions.strip()) > 500:
        problems.append(Problem("too_long", "Högst 500 tecken är tillåtna.", "instructions"))
    check = {
        CaseKind.ASYLUM: _asylum_problems,
        CaseKind.WITHOUT_PERMIT: _without_permit_problems,
        CaseKind.PROTECTED_IDENTITY: _protected_problems,
        CaseKind.OUT_OF_ASSORTMENT: _out_of_assortment_problems,
        CaseKind.OUTSIDE_REGION: _outside_region_problems,
    }[CaseKind(draft.kind)]
    problems.extend(check(draft, actor))
    if not draft.product.procured and draft.kind != CaseKind.OUT_OF_ASSORTMENT:
        problems.extend(_justification_problems(draft))
    return problems


def _justification_problems(draft: CaseDraft) -> list[Problem]:
    """OOA-1 on every kind of form: a product outside the assortment always needs the
    prescriber's justification (asylum, without permit and protected identity included).
    The form about a patient of another region sends it to its own case instead."""
    if draft.kind == CaseKind.OUTSIDE_REGION or not _blank(draft.justification):
        return []
    return [
        Problem(
            "OOA-1",
            "Produkten ingår inte i det upphandlade sortimentet. Motivera varför sortimentet "
            "inte tillgodoser patientens behov.",
            "justification",
        )
    ]


def _name_problems(draft: CaseDraft) -> list[Problem]:
    problems = []
    if _blank(draft.first_name):
        problems.append(Problem("first_name_required", "Ange patientens förnamn.", "first_name"))
    if _blank(strip_ut_suffix(draft.last_name or "")):
        problems.append(Problem("last_name_required", "Ange patientens efternamn.", "last_name"))
    return problems


def _adult_decision(draft: CaseDraft, rule: str) -> list[Problem]:
    """ASYL-2/UT-1: children have full rights; adults need the prescriber's decision."""
    if draft.birth_date is None or draft.birth_date > clock.today():
        return []
    if age_on(draft.birth_date, clock.today()) >= ADULT_AGE and draft.care_cannot_wait is not True:
        return [
            Problem(
                rule,
                "Vuxna har rätt till vård som inte kan anstå. Ange ditt beslut att vården "
                "inte kan vänta.",
                "care_cannot_wait",
            )
        ]
    return []


def _no_existing_patient(draft: CaseDraft) -> list[Problem]:
    if draft.patient is not None:
        return [
            Problem(
                "patient_not_expected",
                "Personen finns inte i folkbokföringen: ange namn och födelsedatum i stället "
                "för att välja en patient.",
                "patient_id",
            )
        ]
    return []


def _asylum_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    problems = _no_existing_patient(draft) + _name_problems(draft)
    problems += check_birth_date(draft.birth_date)
    try:
        parse_lma(draft.lma_number)
    except DomainError as error:
        problems.extend(error.problems)
    if draft.lma_valid_until is None:
        problems.append(
            Problem("ASYL-3", "Ange till vilket datum LMA-kortet är giltigt.", "lma_valid_until")
        )
    elif draft.lma_valid_until < clock.today():
        problems.append(
            Problem(
                "ASYL-3",
                f"LMA-kortet gick ut {draft.lma_valid_until.isoformat()}. Ett giltigt LMA-kort "
                "krävs.",
                "lma_valid_until",
            )
        )
    problems += _adult_decision(draft, "ASYL-2")
    return problems


def _without_permit_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    problems = _no_existing_patient(draft) + _name_problems(draft)
    if draft.birth_date is None:
        problems.append(
            Problem(
                "UT-2",
                "Ange födelsedatum (ÅÅÅÅMMDD): personen registreras med födelsedatum och namn "
                "följt av ” - UT”.",
                "birth_date",
            )
        )
    else:
        problems += check_birth_date(draft.birth_date)
    if not _blank(draft.lma_number):
        problems.append(
            Problem(
                "UT-6",
                "Personen har ett LMA-nummer: använd ärendet för asylsökande.",
                "lma_number",
            )
        )
    problems += _adult_decision(draft, "UT-1")
    return problems


def _protected_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    problems: list[Problem] = []
    given = [
        name
        for name, value in (
            ("patient_id", draft.patient),
            ("first_name", draft.first_name.strip()),
            ("last_name", draft.last_name.strip()),
            ("birth_date", draft.birth_date),
            ("lma_number", draft.lma_number.strip()),
        )
        if value
    ]
    for name in given:
        problems.append(
            Problem(
                "SKYDD-2",
                "Ange inga patientuppgifter: den förskrivande enheten står som mottagare.",
                name,
            )
        )
    if _blank(draft.care_of):
        problems.append(
            Problem(
                "SKYDD-5",
                "Ange c/o: namnet på den som ansvarar för leveransen på enheten.",
                "care_of",
            )
        )
    user = actor.user
    if user is None or _blank(user.email) or _blank(user.phone):
        problems.append(
            Problem(
                "SKYDD-4",
                "Din e-postadress och ditt telefonnummer anges som kontakt. Fyll i dem på Min "
                "sida först.",
                "contact",
            )
        )
    return problems


def _visible_patient_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    if draft.patient is None or not patients_visible_to(actor).filter(pk=draft.patient.pk).exists():
        return [Problem("patient_required", "Välj patienten som ärendet gäller.", "patient_id")]
    return []


def _out_of_assortment_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    problems = _visible_patient_problems(draft, actor)
    if draft.product.procured:
        problems.append(
            Problem(
                "in_assortment",
                "Produkten ingår i det upphandlade sortimentet: förskriv den direkt.",
                "article_number",
            )
        )
    if _blank(draft.justification):
        problems.append(
            Problem(
                "OOA-1",
                "Motivera varför det upphandlade sortimentet inte tillgodoser patientens behov.",
                "justification",
            )
        )
    if (
        not problems
        and draft.patient is not None
        and draft.patient.resident_region != Region.VASTRA_GOTALAND
        and draft.product.area.code in _PHARMACY_AREAS
    ):
        problems.append(_ch2())
    return problems


def _ch2() -> Problem:
    return Problem(
        "CH-2",
        "Patienten är inte folkbokförd i regionen. Diabetes- och stomiprodukter förskrivs på "
        "hjälpmedelskort och hämtas på apotek; hemregionen betalar.",
        "patient_id",
    )


def _unlisted_person_problems(draft: CaseDraft) -> list[Problem]:
    """A person the register does not give LMN: registered in another region, or with a
    samordningsnummer (PAT-1, PAT-2). Customer service registers them on approval."""
    problems = _name_problems(draft)
    try:
        pnr = parse_personal_number(draft.personal_number, field="personal_number")
    except DomainError as error:
        return list(error.problems) + problems
    if findable_in_register(pnr) is not None:
        problems.append(
            Problem(
                "patient_in_register",
                "Personen finns i folkbokföringen för Västra Götaland och Halland: sök fram "
                "patienten med numret och förskriv därifrån.",
                "personal_number",
            )
        )
    return problems


def _outside_region_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    if draft.patient is None:
        if _blank(draft.personal_number):
            problems = [
                Problem(
                    "personal_number_required",
                    "Ange patientens personnummer eller samordningsnummer.",
                    "personal_number",
                )
            ]
            problems += _name_problems(draft)
        else:
            problems = _unlisted_person_problems(draft)
    else:
        problems = _visible_patient_problems(draft, actor)
        if problems:
            return problems
        if draft.patient.resident_region == Region.VASTRA_GOTALAND:
            problems.append(
                Problem(
                    "patient_in_region",
                    "Patienten är folkbokförd i regionen: förskriv direkt i systemet.",
                    "patient_id",
                )
            )
    area = draft.product.area.code
    if area in _PHARMACY_AREAS:
        problems.append(_ch2())
    elif area not in _FORM_AREAS_OUTSIDE_REGION:
        problems.append(
            Problem("CH-1", "Ärendet gäller inkontinens- och nutritionsprodukter.", "product")
        )
    if not draft.product.procured:
        problems.append(
            Problem(
                "OOA-1",
                "Produkten ingår inte i sortimentet: gör ett ärende för produkt utanför "
                "sortiment, med motivering.",
                "article_number",
            )
        )
    return problems
