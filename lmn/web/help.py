"""The help page's content: the routine's guides per role, and whom to call.

The contact details are the region's, from settings (LMN_HELP_CONTACTS), never written
into a template; the guides follow the routine and are the same in every region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lmn.core.actor import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    about: str
    phone: str
    email: str
    hours: str


@dataclass(frozen=True)
class Guide:
    title: StrOrPromise
    steps: tuple[StrOrPromise, ...]


def contacts() -> list[Contact]:
    return [Contact(**c) for c in settings.LMN_HELP_CONTACTS]


_PRESCRIBE = Guide(
    _("Förskriva"),
    (
        _("Sök patienten på personnummer eller LMA-nummer under ”Sök patient”."),
        _("Välj ”Ny förskrivning”, välj produkt ur sortimentet och ange förbrukningen."),
        _("Dokumentera förskrivningens nummer i patientens journal."),
        _(
            "Hittas inte patienten, eller gäller det en produkt utanför sortimentet, "
            "skicka ett ärende till kundtjänst under ”Ärenden”."
        ),
    ),
)
_ORDER = Guide(
    _("Beställa (uttag)"),
    (
        _("Öppna patienten och välj ”Nytt uttag”."),
        _("Ange antal för det som kan tas ut nu, och var och hur det ska levereras."),
        _("Kontrollera sammanfattningen med leveransdag och eventuella avgifter, och beställ."),
        _("Uttagets nummer (U och åtta siffror) används när du frågar kundtjänst."),
    ),
)
_WARD = Guide(
    _("Särskilt boende"),
    (
        _("Under ”Avdelningen” ser du de boende och vad som kan beställas för var och en."),
        _(
            "En sambeställning levereras till avdelningens leveransplats; nutrition och "
            "akutleverans beställs per patient."
        ),
    ),
)
_BACKOFFICE = Guide(
    _("Kundtjänst"),
    (
        _("Arbetskön under ”Kundtjänst” visar inkomna och kompletterade ärenden, äldst först."),
        _("Godkänn, avslå eller skicka tillbaka ett ärende för komplettering med en motivering."),
        _("Uppföljningar visar långa leveranser och paket som inte hämtats."),
    ),
)
_DISTRIBUTOR = Guide(
    _("Distributör"),
    (
        _("Arbetskön visar uttagen per status; registrera plockat, skickat och levererat."),
        _("Vid uthämtning på utlämningsställe: kontrollera legitimation och aviseringens kod."),
    ),
)
_HEAD = Guide(
    _("Verksamhetschef"),
    (
        _("Ansök om behörighet för din personal och om ny eller ändrad enhet under ”Ansökningar”."),
        _("LMN-administrationen beslutar och du får besked per e-post."),
    ),
)
_ADMIN = Guide(
    "LMN-administration",
    (
        _("Besluta om ansökningar om behörighet och enheter under ”Administration”."),
        _("Skicka information till förskrivare under ”Utskick”."),
    ),
)
_FOLLOW_UP = Guide(
    _("Uppföljning och kostnader"),
    (
        _(
            "Under ”Uppföljning” ser du vad som beställts och vad det kostat per månad och "
            "produktområde, andelen akut- och expressleveranser och deras avgifter."
        ),
        _("Välj en siffra för att se uttagen bakom den. Tabellerna kan laddas ner som CSV."),
    ),
)
_START = Guide(
    _("Komma igång"),
    (
        _("Logga in med SITHS-kort eller ditt användarnamn."),
        _("Saknar du behörighet, tala med din verksamhetschef: hen ansöker åt dig."),
    ),
)

GUIDES: dict[str, tuple[Guide, ...]] = {
    Role.PRESCRIBER: (_PRESCRIBE, _ORDER),
    Role.DOCTOR: (_PRESCRIBE, _ORDER),
    Role.ORDERER: (_ORDER, _WARD),
    Role.CUSTOMER_SERVICE: (_BACKOFFICE, _ORDER),
    Role.DISTRIBUTOR: (_DISTRIBUTOR,),
    Role.HEAD_OF_UNIT: (_HEAD, _FOLLOW_UP),
    Role.ADMIN: (_ADMIN,),
    Role.PAYER: (_FOLLOW_UP,),
    Role.AUDITOR: (),
}


def guides_for(role: str | None) -> tuple[Guide, ...]:
    """The signed-in role's guides first; without a role, how to get started."""
    if role is None:
        return (_START,)
    return GUIDES.get(role, ())


def all_guides() -> tuple[Guide, ...]:
    """Every guide once, for reading beyond one's own role."""
    seen: dict[str, Guide] = {}
    for guides in GUIDES.values():
        for g in guides:
            seen.setdefault(str(g.title), g)
    return (_START, *seen.values())
