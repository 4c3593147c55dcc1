"""Fixed reference data of the training world: assortment, units, logins, places.

Kept apart from the builder so the builder reads as steps and this file as a
catalogue a trainer can edit.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- assortment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductLine:
    """A family of products: one product per variant, named `name.format(v=variant)`."""

    area: str
    name: str
    variants: tuple[str, ...]
    package_size: str
    ordering_unit: str
    price: float  # SEK per ordering unit, before a little per-variant spread
    consumption: tuple[int, str]  # a typical prescription: amount per period


P = ProductLine
PRODUCT_LINES: tuple[ProductLine, ...] = (
    # diabetes
    P(
        "diabetes",
        "Testremsor {v}",
        (
            "FreeStyle Lite",
            "FreeStyle Precision",
            "Accu-Chek Guide",
            "Contour Next",
            "OneTouch Verio",
            "CareSens N",
            "Mylife Pura",
            "Accu-Chek Instant",
        ),
        "50 st/förp",
        "st",
        3.2,
        (4, "day"),
    ),
    P(
        "diabetes",
        "Testkassett {v}",
        ("Accu-Chek Mobile",),
        "100 tester/förp",
        "st",
        3.5,
        (4, "day"),
    ),
    P(
        "diabetes",
        "Pennkanyl {v}",
        (
            "4 mm BD Micro-Fine Ultra",
            "5 mm BD Micro-Fine Ultra",
            "4 mm NovoFine Plus",
            "6 mm NovoFine",
            "4 mm Mylife Clickfine",
            "8 mm Mylife Clickfine",
            "5 mm Droplet",
            "4 mm Droplet",
        ),
        "100 st/förp",
        "st",
        0.85,
        (4, "day"),
    ),
    P(
        "diabetes",
        "Lansett {v}",
        ("Accu-Chek FastClix", "Microlet", "Mylife Unio Softlance", "FreeStyle Lancet"),
        "200 st/förp",
        "st",
        0.6,
        (4, "day"),
    ),
    P(
        "diabetes",
        "Blodketonremsor {v}",
        ("FreeStyle Precision β-Ketone", "GlucoMen areo 2K"),
        "10 st/förp",
        "st",
        14.0,
        (1, "week"),
    ),
    P(
        "diabetes",
        "Sensor {v}",
        ("FreeStyle Libre 2 Plus", "Dexcom G7", "Dexcom ONE+", "Medtronic Simplera"),
        "1 st/förp",
        "st",
        640.0,
        (2, "month"),
    ),
    P(
        "diabetes",
        "Infusionsset {v}",
        ("Mio 6 mm 60 cm", "Mio 9 mm 80 cm", "TruSteel 8 mm", "Inset II 6 mm"),
        "10 st/förp",
        "förp",
        980.0,
        (1, "month"),
    ),
    P(
        "diabetes",
        "Reservoar {v}",
        ("3 ml MiniMed", "1,8 ml MiniMed", "Ypsopump 1,6 ml"),
        "10 st/förp",
        "förp",
        320.0,
        (1, "month"),
    ),
    P("diabetes", "Kanylburk {v}", ("1,5 l", "0,5 l"), "1 st", "st", 12.0, (1, "month")),
    P(
        "diabetes",
        "Glukostabletter {v}",
        ("Citron", "Apelsin"),
        "10 st/rör",
        "förp",
        18.0,
        (4, "month"),
    ),
    P(
        "diabetes",
        "Testremsor {v}",
        ("Contour Plus Elite", "GlucoMen areo", "Mylife Aveo", "Wellion Calla"),
        "50 st/förp",
        "st",
        2.9,
        (4, "day"),
    ),
    P(
        "diabetes",
        "Insulinspruta {v}",
        ("0,3 ml 8 mm", "0,5 ml 8 mm", "1 ml 12,7 mm"),
        "100 st/förp",
        "st",
        1.4,
        (3, "day"),
    ),
    P(
        "diabetes",
        "Överplåster sensor {v}",
        ("FreeStyle Libre", "Dexcom"),
        "25 st/förp",
        "st",
        6.0,
        (2, "month"),
    ),
    P(
        "diabetes",
        "Blodsockermätare {v}",
        ("FreeStyle Lite", "Accu-Chek Guide", "Contour Next"),
        "1 st",
        "st",
        0.5,
        (1, "month"),
    ),
    # incontinence
    P(
        "incontinence",
        "Inkontinensskydd {v}",
        (
            "TENA Lady Mini",
            "TENA Lady Normal",
            "TENA Lady Extra",
            "TENA Lady Maxi",
            "TENA Men Level 2",
            "TENA Men Level 3",
            "Abri-San Premium 3",
            "Abri-San Premium 6",
            "Abri-San Premium 9",
            "Attends Contours Regular",
            "Maxi",
            "Super Natt",
        ),
        "28 st/förp",
        "st",
        3.9,
        (3, "day"),
    ),
    P(
        "incontinence",
        "Inkontinensbyxa {v}",
        (
            "TENA Pants Normal M",
            "TENA Pants Normal L",
            "TENA Pants Plus M",
            "TENA Pants Plus L",
            "TENA Pants Super XL",
            "Abri-Flex Premium M",
            "Abri-Flex Premium L",
            "Attends Pull-Ons S",
        ),
        "14 st/förp",
        "st",
        6.8,
        (3, "day"),
    ),
    P(
        "incontinence",
        "Bältesskydd {v}",
        ("TENA Flex Plus M", "TENA Flex Maxi L", "Abri-Wing Premium M"),
        "30 st/förp",
        "st",
        8.9,
        (2, "day"),
    ),
    P(
        "incontinence",
        "Fixeringsbyxa {v}",
        ("Premium M", "Premium L", "Premium XL"),
        "5 st/förp",
        "st",
        21.0,
        (2, "month"),
    ),
    P(
        "incontinence",
        "Engångsunderlägg {v}",
        ("60×60 cm", "60×90 cm"),
        "30 st/förp",
        "förp",
        89.0,
        (2, "month"),
    ),
    P(
        "incontinence",
        "Uridom {v}",
        ("25 mm", "30 mm", "35 mm", "40 mm"),
        "30 st/förp",
        "st",
        11.5,
        (1, "day"),
    ),
    P(
        "incontinence",
        "Urinpåse {v}",
        ("750 ml med tappkran", "2000 ml nattpåse", "500 ml benpåse"),
        "10 st/förp",
        "st",
        16.0,
        (2, "week"),
    ),
    P(
        "incontinence",
        "Kateter för RIK {v}",
        ("Nelaton CH 12 kvinna", "Nelaton CH 14 man", "Hydrofil CH 12", "Hydrofil CH 14"),
        "30 st/förp",
        "st",
        19.0,
        (4, "day"),
    ),
    P(
        "incontinence",
        "Analpropp Peristeen {v}",
        ("liten", "stor"),
        "20 st/förp",
        "st",
        12.0,
        (1, "day"),
    ),
    P(
        "incontinence",
        "Tarmsköljningssystem Peristeen Plus {v}",
        ("normal", "lång kateter"),
        "15 st/förp",
        "st",
        110.0,
        (1, "day"),
    ),
    P(
        "incontinence",
        "Barnblöja inkontinens {v}",
        ("Junior S", "Junior M"),
        "30 st/förp",
        "st",
        5.5,
        (4, "day"),
    ),
    P(
        "incontinence",
        "Inkontinensskydd {v}",
        ("Abri-Man Formula 1", "TENA Comfort Normal", "TENA Comfort Plus", "TENA Comfort Maxi"),
        "28 st/förp",
        "st",
        5.1,
        (3, "day"),
    ),
    # nutrition
    P(
        "nutrition",
        "Näringsdryck {v} 200 ml",
        ("Jordgubb", "Choklad", "Vanilj", "Skogsbär", "Neutral", "Persika-mango", "Kaffe", "Banan"),
        "4×200 ml/förp",
        "flaska",
        24.0,
        (2, "day"),
    ),
    P(
        "nutrition",
        "Näringsdryck Compact {v} 125 ml",
        ("Jordgubb", "Choklad", "Vanilj", "Kaffe", "Banan"),
        "4×125 ml/förp",
        "flaska",
        27.0,
        (2, "day"),
    ),
    P(
        "nutrition",
        "Proteindryck {v} 200 ml",
        ("Jordgubb", "Choklad", "Vanilj", "Aprikos"),
        "4×200 ml/förp",
        "flaska",
        26.0,
        (1, "day"),
    ),
    P(
        "nutrition",
        "Förtjockningsmedel {v}",
        ("Nutilis Clear 175 g", "Thick & Easy Clear 126 g", "Resource ThickenUp 227 g"),
        "1 burk",
        "förp",
        185.0,
        (2, "month"),
    ),
    P(
        "nutrition",
        "Energitillskott {v}",
        ("pulver 300 g", "emulsion 500 ml"),
        "1 st",
        "förp",
        210.0,
        (1, "month"),
    ),
    P(
        "nutrition",
        "Sondnäring {v} 1000 ml",
        ("standard 1,0 kcal/ml", "energi 1,5 kcal/ml", "fiber 1,0 kcal/ml", "peptidbaserad"),
        "8×1000 ml/kartong",
        "flaska",
        95.0,
        (1, "day"),
    ),
    P(
        "nutrition",
        "Näringspudding {v} 125 g",
        ("Choklad", "Vanilj", "Karamell"),
        "4×125 g/förp",
        "st",
        25.0,
        (1, "day"),
    ),
    P(
        "nutrition",
        "Fruktdryck {v} 200 ml",
        ("Äpple", "Apelsin", "Hallon"),
        "4×200 ml/förp",
        "flaska",
        22.0,
        (2, "day"),
    ),
    P(
        "nutrition",
        "Näringsdryck diabetes {v} 200 ml",
        ("Vanilj", "Jordgubb"),
        "4×200 ml/förp",
        "flaska",
        25.0,
        (2, "day"),
    ),
    P(
        "nutrition",
        "Barnnäringsdryck {v} 200 ml",
        ("Jordgubb", "Banan", "Vanilj"),
        "4×200 ml/förp",
        "flaska",
        28.0,
        (2, "day"),
    ),
    # tube feeding (plastic accessories)
    P(
        "tube_feeding",
        "Sondmatningsaggregat ENFit {v}",
        ("gravitation", "pump Flocare Infinity", "pump Amika", "pump Kangaroo Joey"),
        "30 st/förp",
        "st",
        38.0,
        (1, "day"),
    ),
    P(
        "tube_feeding",
        "Spruta ENFit {v}",
        ("10 ml", "20 ml", "60 ml", "5 ml lågdos"),
        "30 st/förp",
        "st",
        4.5,
        (3, "day"),
    ),
    P(
        "tube_feeding",
        "Nasogastrisk sond {v}",
        ("CH 8 ENFit", "CH 10 ENFit", "CH 12 ENFit"),
        "10 st/förp",
        "st",
        82.0,
        (2, "month"),
    ),
    P(
        "tube_feeding",
        "Förlängningsset ENFit {v}",
        ("MIC-KEY bolus", "MIC-KEY kontinuerlig", "Corflo button"),
        "5 st/förp",
        "st",
        96.0,
        (4, "month"),
    ),
    P(
        "tube_feeding",
        "Adapter ENFit {v}",
        ("till flaska", "till påse", "medicinport"),
        "10 st/förp",
        "st",
        9.0,
        (1, "week"),
    ),
    P(
        "tube_feeding",
        "Sondmatningspåse ENFit {v}",
        ("500 ml", "1000 ml"),
        "30 st/förp",
        "st",
        14.0,
        (1, "day"),
    ),
    P(
        "tube_feeding",
        "Gastrostomiport {v}",
        ("MIC-KEY 14 CH 1,7 cm", "MIC-KEY 14 CH 2,0 cm", "MIC-KEY 16 CH 2,5 cm"),
        "1 st",
        "st",
        1450.0,
        (1, "month"),
    ),
    P(
        "tube_feeding",
        "Fixeringsplåster sond {v}",
        ("näsa", "kind"),
        "50 st/förp",
        "st",
        3.0,
        (1, "day"),
    ),
    # stoma
    P(
        "stoma",
        "Stomipåse öppen 1-del {v}",
        (
            "SenSura Mio Midi",
            "SenSura Mio Maxi",
            "Esteem+ Flex",
            "Dansac NovaLife Midi",
            "Flexima 3S",
            "Moderma Flex",
        ),
        "30 st/förp",
        "st",
        42.0,
        (1, "day"),
    ),
    P(
        "stoma",
        "Stomipåse öppen 1-del {v}",
        ("Assura", "SenSura Mio Convex", "Esteem+ Soft Convex"),
        "20 st/förp",
        "st",
        61.0,
        (1, "day"),
    ),
    P("stoma", "Stomibälte {v}", ("S", "M", "L"), "1 st", "st", 145.0, (1, "month")),
    P("stoma", "Stomibandage {v}", ("M", "L"), "1 st", "st", 420.0, (1, "month")),
    P(
        "stoma",
        "Stomipåse sluten 1-del {v}",
        ("SenSura Mio Midi", "Esteem+", "Dansac NovaLife", "Flexima Active"),
        "30 st/förp",
        "st",
        38.0,
        (2, "day"),
    ),
    P(
        "stoma",
        "Urostomipåse 1-del {v}",
        ("SenSura Mio", "Urostomy+ Esteem", "Dansac NovaLife Uro"),
        "10 st/förp",
        "st",
        55.0,
        (1, "day"),
    ),
    P(
        "stoma",
        "Basplatta 2-del {v}",
        ("40 mm", "50 mm", "60 mm", "SenSura Mio Click 50 mm"),
        "5 st/förp",
        "st",
        68.0,
        (2, "week"),
    ),
    P(
        "stoma",
        "Stomipåse 2-del {v}",
        ("öppen 50 mm", "sluten 50 mm"),
        "30 st/förp",
        "st",
        29.0,
        (1, "day"),
    ),
    P(
        "stoma",
        "{v}",
        (
            "Hudskyddsring Brava 4,2 mm",
            "Stomipasta Adapt 60 g",
            "Häftborttagningsspray Brava 50 ml",
            "Lukteliminerande gel 50 ml",
            "Hudskyddsservett Brava",
            "Elastisk tejp Brava",
        ),
        "1 förp",
        "förp",
        120.0,
        (1, "month"),
    ),
)

ASSORTMENT_NEWS: tuple[tuple[str | None, int, str, str], ...] = (
    # area, days ago, title, body
    (
        "diabetes",
        12,
        "Nya testremsor på REK-listan",
        "Från och med den 1:a nästa månad ingår Testremsor CareSens N på REK-listan. "
        "Befintliga förskrivningar gäller som vanligt.",
    ),
    (
        "incontinence",
        30,
        "Byte av leverantör för fixeringsbyxor",
        "Fixeringsbyxor levereras nu från ny leverantör. Storlekarna är desamma.",
    ),
    (
        "nutrition",
        45,
        "Näringsdryck Kaffe tillfälligt slut",
        "Näringsdryck Kaffe 200 ml är restnoterad. Förskriv gärna smaken Choklad under tiden.",
    ),
    (
        "tube_feeding",
        60,
        "ENFit ersätter äldre koppling",
        "Alla sondmatningsaggregat i sortimentet har ENFit-koppling. Adaptrar finns för "
        "befintliga sonder.",
    ),
    (
        "stoma",
        90,
        "Ny upphandling av stomiprodukter",
        "Den nya upphandlingen av stomiprodukter gäller från årsskiftet. Produkter som inte "
        "längre är upphandlade markeras som utanför sortiment.",
    ),
    (
        None,
        120,
        "Ändrade beställningstider i jul",
        "Beställningar som görs efter kl. 12 den 23 december levereras tidigast efter "
        "trettondedagen.",
    ),
)

# --- organisation --------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    customer_number: str
    name: str
    kind: str  # PrescribingUnit.Kind
    provider: str  # key of PROVIDERS
    street: str
    postcode: str
    city: str
    # payers by area that differ from the unit's own payer (UNIT-2): area -> payer key
    payer_overrides: tuple[tuple[str, str], ...] = ()
    # where joint deliveries to a special-housing ward are left in the daytime (SAM-3)
    delivery_place: str = ""


PROVIDERS: dict[str, tuple[str, str, str]] = {
    # key: (name, kind, HSA-id); separate care providers under PDL (PDL-1)
    "vgr": ("Västra Götalandsregionen", "region", "SE2321000131-E000000000001"),
    "goteborg": ("Göteborgs Stad", "municipality", "SE2120001553-E000000000001"),
    "boras": ("Borås Stad", "municipality", "SE2120001561-E000000000001"),
    "skovde": ("Skövde kommun", "municipality", "SE2120001744-E000000000001"),
    "capio": ("Capio Närsjukvård AB", "private", "SE5565955187-E000000000001"),
    "praktikertjanst": ("Praktikertjänst AB", "private", "SE5562009989-E000000000001"),
}

# shared payers some units use for some areas instead of their own (UNIT-2)
SHARED_PAYERS: dict[str, tuple[str, str, str, str, str]] = {
    # key: (name, reference, street, postcode, city)
    "vgr_primarvard": (
        "Västra Götalandsregionen, Primärvårdsnämnden",
        "Ansvar 7100",
        "Box 1091",
        "40523",
        "Göteborg",
    ),
    "vgr_nutrition": (
        "Västra Götalandsregionen, Nutritionsenheten",
        "Ansvar 7420",
        "Box 1092",
        "40523",
        "Göteborg",
    ),
    "vgr_skaraborg": (
        "Västra Götalandsregionen, Skaraborgs Sjukhus",
        "Ansvar 5810",
        "Box 1093",
        "54185",
        "Skövde",
    ),
}

UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(
        "602154",
        "Vårdcentralen Hjärtat",
        "health_centre",
        "vgr",
        "Hjärtevägen 4",
        "41345",
        "Göteborg",
        (("nutrition", "vgr_nutrition"), ("tube_feeding", "vgr_nutrition")),
    ),
    UnitSpec(
        "601628",
        "Asylhälsan Västra Götaland",
        "asylum",
        "vgr",
        "Sociala huset, Ö Hamngatan 12",
        "41109",
        "Göteborg",
    ),
    UnitSpec(
        "603001",
        "Solgårdens särskilda boende, avd 2",
        "special_housing",
        "goteborg",
        "Solgårdsgatan 7",
        "41742",
        "Göteborg",
        (("diabetes", "vgr_primarvard"), ("stoma", "vgr_primarvard")),
        delivery_place="Godsmottagningen, entréplan, Solgårdsgatan 7",
    ),
    UnitSpec(
        "604500",
        "Privata Vårdcentralen Lerum",
        "health_centre",
        "capio",
        "Torget 3",
        "44330",
        "Lerum",
    ),
    UnitSpec(
        "602201",
        "Vårdcentralen Majorna",
        "health_centre",
        "vgr",
        "Karl Johansgatan 22",
        "41459",
        "Göteborg",
    ),
    UnitSpec(
        "602317",
        "Vårdcentralen Sandared",
        "health_centre",
        "vgr",
        "Sandaredsvägen 10",
        "51832",
        "Sandared",
    ),
    UnitSpec(
        "602422",
        "Vårdcentralen Norrmalm Skövde",
        "health_centre",
        "vgr",
        "Vasagatan 21",
        "54131",
        "Skövde",
        (("nutrition", "vgr_skaraborg"),),
    ),
    UnitSpec(
        "602518",
        "Vårdcentralen Trollhättan Centrum",
        "health_centre",
        "vgr",
        "Drottninggatan 12",
        "46132",
        "Trollhättan",
    ),
    UnitSpec(
        "602633",
        "Vårdcentralen Uddevalla Centrum",
        "health_centre",
        "vgr",
        "Kungsgatan 15",
        "45130",
        "Uddevalla",
    ),
    UnitSpec(
        "605110",
        "Sahlgrenska Universitetssjukhuset, avd 134",
        "hospital_ward",
        "vgr",
        "Blå stråket 5",
        "41345",
        "Göteborg",
    ),
    UnitSpec(
        "605212",
        "Skaraborgs Sjukhus Skövde, avd 61",
        "hospital_ward",
        "vgr",
        "Lövängsvägen",
        "54142",
        "Skövde",
    ),
    UnitSpec(
        "606020",
        "Diabetesmottagningen Östra",
        "specialist",
        "vgr",
        "Diagnosvägen 11",
        "41650",
        "Göteborg",
    ),
    UnitSpec(
        "606145",
        "Stomimottagningen Södra Älvsborgs Sjukhus",
        "specialist",
        "vgr",
        "Brämhultsvägen 53",
        "50182",
        "Borås",
    ),
    UnitSpec(
        "606230",
        "Dietistmottagningen NU-sjukvården",
        "specialist",
        "vgr",
        "Lasarettsvägen 1",
        "45153",
        "Uddevalla",
    ),
    UnitSpec(
        "603118",
        "Hemsjukvården Borås Öster",
        "home_care",
        "boras",
        "Österlånggatan 40",
        "50331",
        "Borås",
        (("diabetes", "vgr_primarvard"), ("stoma", "vgr_primarvard")),
    ),
    UnitSpec(
        "603204",
        "Hemsjukvården Skövde",
        "home_care",
        "skovde",
        "Fredsgatan 4",
        "54131",
        "Skövde",
        (("diabetes", "vgr_skaraborg"), ("stoma", "vgr_skaraborg")),
    ),
    UnitSpec(
        "603309",
        "Lindängens särskilda boende",
        "special_housing",
        "boras",
        "Lindängsvägen 2",
        "50632",
        "Borås",
        (("diabetes", "vgr_primarvard"), ("stoma", "vgr_primarvard")),
    ),
    UnitSpec(
        "603415",
        "Bagaregårdens vård- och omsorgsboende",
        "special_housing",
        "goteborg",
        "Bagaregårdsgatan 9",
        "41669",
        "Göteborg",
        (("diabetes", "vgr_primarvard"), ("stoma", "vgr_primarvard")),
    ),
    UnitSpec(
        "604611",
        "Capio Vårdcentral Kungälv",
        "health_centre",
        "capio",
        "Västra Gatan 55",
        "44231",
        "Kungälv",
    ),
    UnitSpec(
        "604722",
        "Praktikertjänst Vårdcentralen Alingsås",
        "health_centre",
        "praktikertjanst",
        "Kungsgatan 8",
        "44130",
        "Alingsås",
    ),
)

# --- logins -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    unit: str | None
    areas: tuple[str, ...] = ()
    joint_ordering: bool = False
    admin: bool = False
    payer: str | None = None  # a payer's contact: the key of the payer in SHARED_PAYERS


ALL_AREAS = ("diabetes", "incontinence", "nutrition", "tube_feeding", "stoma")

LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec(
        "forskrivare",
        "Anna",
        "Lindqvist",
        "forskrivare",
        "602154",
        ("diabetes", "incontinence", "stoma"),
    ),
    LoginSpec(
        "dietist", "Sara", "Bergström", "forskrivare", "602154", ("nutrition", "tube_feeding")
    ),
    LoginSpec("lakare", "Johan", "Ekberg", "lakare", "602154"),
    LoginSpec(
        "bestallare",
        "Maria",
        "Holm",
        "bestallare",
        "603001",
        ("diabetes", "incontinence", "stoma", "tube_feeding"),
        joint_ordering=True,
    ),
    LoginSpec("kundtjanst", "Lena", "Ström", "kundtjanst", None),
    LoginSpec("verksamhetschef", "Per", "Nyström", "verksamhetschef", "602154"),
    LoginSpec("lmnadmin", "Karin", "Sjöberg", "lmnadmin", None, admin=True),
    LoginSpec("granskare", "Erik", "Dahl", "granskare", None),
    LoginSpec("annanenhet", "Oskar", "Wikström", "forskrivare", "604500", ALL_AREAS),
    LoginSpec("distributor", "Dan", "Lagerholm", "distributor", None),
    LoginSpec("betalare", "Ingrid", "Falk", "betalare", None, payer="vgr_primarvard"),
)

# (code, name, street, postcode, city): the carrier's pickup points, spread over Sweden
PICKUP_POINT_HOURS = ("Alla dagar 8–22", "Mån–fre 9–20, lör–sön 10–18", "Mån–fre 7–21, lör 9–18")
PICKUP_POINTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("PN-41304", "ICA Nära Linné", "Linnégatan 10", "41304", "Göteborg"),
    ("PN-41664", "Coop Gårda", "Drakegatan 2", "41250", "Göteborg"),
    ("PN-42130", "Pressbyrån Frölunda Torg", "Frölunda Torg 1", "42142", "Västra Frölunda"),
    ("PN-44130", "ICA Maxi Alingsås", "Bankgatan 5", "44130", "Alingsås"),
    ("PN-46130", "Coop Trollhättan", "Drottninggatan 20", "46132", "Trollhättan"),
    ("PN-50330", "ICA Kvantum Borås", "Åsboholmsgatan 3", "50335", "Borås"),
    ("PN-54130", "Hemköp Skövde", "Hertig Johans torg 1", "54130", "Skövde"),
    ("PN-45130", "ICA Kvantum Uddevalla", "Kungsgatan 8", "45130", "Uddevalla"),
    ("PN-30246", "Coop Halmstad", "Storgatan 40", "30243", "Halmstad"),
    ("PN-43245", "ICA Varberg", "Västra vägen 4", "43245", "Varberg"),
    ("PN-11120", "Pressbyrån Centralen", "Vasagatan 1", "11120", "Stockholm"),
    ("PN-21120", "Coop Malmö", "Södra Förstadsgatan 10", "21143", "Malmö"),
    ("PN-76291", "ICA Rimbo", "Köpmangatan 3", "76231", "Rimbo"),
    ("PN-98132", "Coop Kiruna", "Föreningsgatan 9", "98131", "Kiruna"),
    ("PN-45231", "ICA Strömstad", "Södra Hamngatan 7", "45230", "Strömstad"),
)
DEMO_PASSWORD = "demo"

# --- register ------------------------------------------------------------------------------

# (city, postcode prefix) — postcodes are made of a real prefix and two random digits
PLACES_VG: tuple[tuple[str, str], ...] = (
    ("Göteborg", "411"),
    ("Göteborg", "413"),
    ("Göteborg", "414"),
    ("Göteborg", "416"),
    ("Göteborg", "417"),
    ("Göteborg", "418"),
    ("Göteborg", "421"),
    ("Västra Frölunda", "426"),
    ("Mölndal", "431"),
    ("Partille", "433"),
    ("Kungälv", "442"),
    ("Lerum", "443"),
    ("Alingsås", "441"),
    ("Borås", "503"),
    ("Borås", "506"),
    ("Trollhättan", "461"),
    ("Vänersborg", "462"),
    ("Uddevalla", "451"),
    ("Skövde", "541"),
    ("Lidköping", "531"),
    ("Falköping", "521"),
    ("Mariestad", "542"),
    ("Ulricehamn", "523"),
    ("Stenungsund", "444"),
)
PLACES_HALLAND: tuple[tuple[str, str], ...] = (
    ("Halmstad", "302"),
    ("Varberg", "432"),
    ("Kungsbacka", "434"),
    ("Falkenberg", "311"),
    ("Laholm", "312"),
)
PLACES_OTHER: tuple[tuple[str, str, str], ...] = (
    # city, postcode prefix, region name
    ("Stockholm", "114", "Stockholm"),
    ("Malmö", "211", "Skåne"),
    ("Uppsala", "753", "Uppsala"),
    ("Linköping", "582", "Östergötland"),
    ("Jönköping", "553", "Jönköping"),
    ("Örebro", "702", "Örebro"),
    ("Karlstad", "652", "Värmland"),
)


@dataclass(frozen=True)
class FixedPerson:
    identifier: str
    first_name: str
    last_name: str
    street: str
    postcode: str
    city: str
    dwelling: str
    region: str
    region_name: str = ""
    protected: bool = False


FIXED_PERSONS: tuple[FixedPerson, ...] = (
    FixedPerson(
        "191212121212",
        "Tolvan",
        "Tolvansson",
        "Storgatan 1 lgh 1102",
        "41301",
        "Göteborg",
        "multi_family",
        "VG",
    ),
    FixedPerson(
        "194512242498",
        "Karl-Erik",
        "Johansson",
        "Solgårdsgatan 7",
        "41742",
        "Göteborg",
        "care_home",
        "VG",
    ),
    FixedPerson(
        "201503151597", "Elsa", "Andersson", "Lillgatan 3", "43137", "Mölndal", "house", "VG"
    ),
    FixedPerson(
        "197608080813",
        "Mikael",
        "Karlsson",
        "Strandvägen 14",
        "30245",
        "Halmstad",
        "house",
        "HALLAND",
    ),
    FixedPerson(
        "198802141427",
        "Johanna",
        "Nilsson",
        "Sveavägen 40",
        "11134",
        "Stockholm",
        "multi_family",
        "OTHER",
        "Stockholm",
    ),
    FixedPerson(
        "193001010176",
        "Ingrid",
        "Svensson",
        "Ekvägen 2",
        "44231",
        "Kungälv",
        "house",
        "VG",
        protected=True,
    ),
    # PAT-2: a samordningsnummer, living in Västra Götaland but not folkbokförd: the
    # register knows the number, yet a lookup finds nobody (the outside-region case does)
    FixedPerson(
        "198507622382", "Ahmad", "Karimi", "Vasagatan 12", "41124", "Göteborg", "house", "VG"
    ),
)
TOLVAN = "191212121212"
CARE_HOME_PERSON = "194512242498"
# care-home residents placed on the training ward 603001 besides CARE_HOME_PERSON
TRAINING_WARD_RESIDENTS = 4
PROTECTED_PERSON = "193001010176"
COORDINATION_PERSON = "198507622382"
