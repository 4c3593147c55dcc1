"""Who may use which route: one table for the portal and the REST API.

Each route (the URL pattern as Django resolves it) names the roles that may use it
and the kind of patient data it reads. The adapters enforce the role column before a
view runs (403, audited); what an allowed role then sees is scoped by the domain
queries (`*_visible_to`), where out-of-scope answers like missing (404). A route not
in the table is refused for everyone, and a test fails until it has a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .actor import Actor, Role
from .errors import PermissionDenied

STAFF = frozenset(
    {
        Role.PRESCRIBER,
        Role.DOCTOR,
        Role.ORDERER,
        Role.CUSTOMER_SERVICE,
        Role.ADMIN,
        Role.HEAD_OF_UNIT,
        Role.AUDITOR,
        Role.DISTRIBUTOR,
    }
)
PATIENT_READERS = frozenset({Role.PRESCRIBER, Role.DOCTOR, Role.ORDERER, Role.CUSTOMER_SERVICE})
PRESCRIBERS = Role.PRESCRIBING
ORDERERS = Role.ORDERING
DISTRIBUTOR = frozenset({Role.DISTRIBUTOR})
PUBLIC: frozenset[str] = frozenset()  # marker: no login needed


@dataclass(frozen=True)
class RoutePolicy:
    roles: frozenset[str]
    reads: str = ""  # "patient" | "prescription" | "withdrawal": the data scope it serves
    public: bool = False
    methods: dict[str, frozenset[str]] = field(default_factory=dict)  # per-method override
    refusal: str = "forbidden"  # the error code of a refusal, a rule ID where one applies

    def allows(self, role: str, method: str) -> bool:
        if self.public:
            return True
        return role in self.methods.get(method, self.roles)


def _public() -> RoutePolicy:
    return RoutePolicy(PUBLIC, public=True)


def _prescribing(reads: str) -> RoutePolicy:
    return RoutePolicy(PRESCRIBERS, reads, refusal="ACC-2")  # only prescribers prescribe


def _shipping(reads: str) -> RoutePolicy:
    return RoutePolicy(DISTRIBUTOR, reads, refusal="distributor_only")


def _ordering(reads: str) -> RoutePolicy:
    return RoutePolicy(ORDERERS, reads, refusal="ACC-2")  # GEN-4: who may order


HEADS = frozenset({Role.HEAD_OF_UNIT})
ADMINS = frozenset({Role.ADMIN})
MAILERS = frozenset({Role.ADMIN, Role.CUSTOMER_SERVICE})  # CON-4
# ACC-2: the Beställare makes joint orders; the permission itself is checked per membership
JOINT_ORDERERS = frozenset({Role.ORDERER})


def _heading() -> RoutePolicy:
    return RoutePolicy(HEADS, refusal="ACC-1")  # the head of unit applies (ACC-1, ACC-4)


def _administering() -> RoutePolicy:
    return RoutePolicy(ADMINS, refusal="ACC-1")  # LMN administration decides


CUSTOMER_SERVICE = frozenset({Role.CUSTOMER_SERVICE})


def _customer_service(reads: str) -> RoutePolicy:
    return RoutePolicy(CUSTOMER_SERVICE, reads, refusal="customer_service_only")


POLICY: dict[str, RoutePolicy] = {
    # --- portal -----------------------------------------------------------------------
    "": RoutePolicy(STAFF, methods={"POST": PATIENT_READERS}),  # start; POST = patient search
    "logga-in/": _public(),
    "logga-ut/": RoutePolicy(STAFF),
    "valj-enhet/": RoutePolicy(STAFF),
    "patienter/<int:patient_id>/": RoutePolicy(PATIENT_READERS, "patient"),
    "patienter/<int:patient_id>/forskrivning/ny/": _prescribing("patient"),
    "patienter/<int:patient_id>/uttag/ny/": _ordering("patient"),
    "patienter/<int:patient_id>/uttag/sammanfattning/": _ordering("patient"),
    "patienter/<int:patient_id>/uttag/utlamningsstallen/": _ordering("patient"),
    "uttag/<str:number>/": RoutePolicy(ORDERERS, "withdrawal"),
    "uttag/<str:number>/makulera/": _ordering("withdrawal"),
    "uttag/<str:number>/leverans/": _ordering("withdrawal"),
    "min-sida/": RoutePolicy(STAFF),
    "hjalp/": _public(),  # whom to call: also before logging in
    "sortimentsnytt/": RoutePolicy(STAFF),  # GEN-6: assortment news
    "distributor/": _shipping(""),
    "distributor/uttag/<str:number>/handelse/": _shipping("withdrawal"),
    "distributor/uttag/<str:number>/uthamtning/": _shipping("withdrawal"),
    "distributor/uttag/<str:number>/etikett.pdf": _shipping("withdrawal"),
    # issue 5: access and unit applications, special housing, contact details (CON)
    "ansokningar/": _heading(),
    "ansokningar/behorighet/<str:kind>/": _heading(),
    "ansokningar/behorighet/<int:application_id>/aterkalla/": _heading(),
    "ansokningar/enhet/": _heading(),
    "ansokningar/enhet/<int:application_id>/aterkalla/": _heading(),
    "administration/behorighet/": _administering(),
    "administration/behorighet/<int:application_id>/": _administering(),
    "administration/enheter/": _administering(),
    "administration/enheter/<int:application_id>/": _administering(),
    "administration/utskick/": RoutePolicy(MAILERS, refusal="CON-4"),
    # the ward's residents: scoped to the ward the orderer acts in, not by a parameter
    "avdelning/": RoutePolicy(ORDERERS, refusal="ACC-2"),
    "avdelning/sambestallning/": RoutePolicy(JOINT_ORDERERS, refusal="SAM-4"),
    "sambestallning/<str:number>/": RoutePolicy(JOINT_ORDERERS, refusal="SAM-4"),
    "min-sida/kontaktuppgifter/": RoutePolicy(STAFF),
    "e-post/bekrafta/": RoutePolicy(STAFF),
    "e-post/verifiera/": _public(),  # the signed link in the e-mail is the credential
    # issue 4: advanced search (UT-5), cases (CH-1) and the customer-service back office
    "patienter/sok/": RoutePolicy(PATIENT_READERS, "patient"),
    "arenden/": _prescribing(""),
    "arenden/nytt/": _prescribing("patient"),  # issue 8: every kind from one place
    "arenden/nytt/<str:kind>/": _prescribing("patient"),
    "arenden/<int:case_id>/": _prescribing("case"),
    "arenden/<int:case_id>/komplettera/": _prescribing("case"),
    "kundtjanst/": _customer_service(""),
    "kundtjanst/arenden/<int:case_id>/": _customer_service("case"),
    "kundtjanst/arenden/<int:case_id>/beslut/": _customer_service("case"),
    "kundtjanst/patienter/<int:patient_id>/konvertering/": _customer_service("patient"),
    "kundtjanst/uppfoljningar/": _customer_service("withdrawal"),
    "kundtjanst/uppfoljningar/<int:follow_up_id>/kontakt/": _customer_service("withdrawal"),
    # SKYDD-5, SKYDD-7: the unit's decision on a withdrawal held for a newly protected patient
    "kundtjanst/uppfoljningar/<int:follow_up_id>/leverans/": _customer_service("withdrawal"),
    # --- REST API -----------------------------------------------------------------------
    "api/v1/": _public(),
    "api/v1/openapi.json": _public(),
    "api/v1/docs": _public(),
    "api/v1/auth/token": _public(),
    "api/v1/patients": RoutePolicy(PATIENT_READERS, "patient"),
    "api/v1/patients/<patient_id>": RoutePolicy(PATIENT_READERS, "patient"),
    "api/v1/patients/search": RoutePolicy(PATIENT_READERS, "patient"),  # UT-5
    "api/v1/patients/<patient_id>/conversion": _customer_service("patient"),  # ASYL-7, UT-6
    "api/v1/cases": RoutePolicy(
        PRESCRIBERS | CUSTOMER_SERVICE, "case", methods={"POST": PRESCRIBERS}, refusal="ACC-2"
    ),
    "api/v1/cases/<case_id>": RoutePolicy(PRESCRIBERS | CUSTOMER_SERVICE, "case"),
    "api/v1/cases/<case_id>/complete": _prescribing("case"),
    "api/v1/cases/<case_id>/decision": _customer_service("case"),
    "api/v1/follow-ups": _customer_service("withdrawal"),
    "api/v1/follow-ups/<follow_up_id>/contacts": _customer_service("withdrawal"),
    "api/v1/follow-ups/<follow_up_id>/delivery": _customer_service("withdrawal"),  # SKYDD-5
    "api/v1/products": RoutePolicy(STAFF),
    "api/v1/prescriptions": _prescribing("patient"),
    "api/v1/prescriptions/<prescription_id>": RoutePolicy(PATIENT_READERS, "prescription"),
    "api/v1/withdrawals": _ordering("patient"),
    "api/v1/withdrawals/preview": _ordering("patient"),
    "api/v1/withdrawals/<number>": RoutePolicy(PATIENT_READERS | DISTRIBUTOR, "withdrawal"),
    # issue 8: until picked, cancel or change the delivery (the service then checks that
    # the actor's unit ordered or prescribed it, or that it is customer service)
    "api/v1/withdrawals/<number>/cancel": _ordering("withdrawal"),
    "api/v1/withdrawals/<number>/delivery": _ordering("withdrawal"),
    "api/v1/withdrawals/<number>/label.pdf": RoutePolicy(
        PATIENT_READERS | DISTRIBUTOR, "withdrawal"
    ),
    "api/v1/pickup-points": RoutePolicy(STAFF),
    "api/v1/distributor/withdrawals": _shipping(""),
    "api/v1/distributor/withdrawals/<number>": _shipping("withdrawal"),
    "api/v1/distributor/withdrawals/<number>/events": _shipping("withdrawal"),
    "api/v1/distributor/withdrawals/<number>/collection": _shipping("withdrawal"),
    "api/v1/access-applications": RoutePolicy(
        HEADS | ADMINS, methods={"POST": HEADS}, refusal="ACC-1"
    ),
    "api/v1/access-applications/<application_id>/decision": _administering(),
    "api/v1/unit-applications": RoutePolicy(
        HEADS | ADMINS, methods={"POST": HEADS}, refusal="ACC-4"
    ),
    "api/v1/unit-applications/<application_id>/decision": _administering(),
    "api/v1/wards/<customer_number>/residents": RoutePolicy(ORDERERS, refusal="ACC-2"),
    "api/v1/joint-orders": RoutePolicy(JOINT_ORDERERS, refusal="SAM-4"),
    "api/v1/joint-orders/<number>": RoutePolicy(JOINT_ORDERERS, refusal="SAM-4"),
}

# The Django admin has its own staff check (is_staff) and audits patient data itself.
UNLISTED_PREFIXES = ("admin/",)


def policy_for(route: str) -> RoutePolicy | None:
    return POLICY.get(route)


def authorize(route: str, method: str, actor: Actor, *, channel: str) -> None:
    """Refuse (403, audited) a role the table does not allow on this route."""
    policy = POLICY.get(route)
    if policy is not None and policy.allows(actor.role, method):
        return
    from lmn.audit.services import record

    record(
        "authz.denied",
        actor=actor,
        outcome="denied",
        channel=channel,
        data={"route": route, "method": method},
    )
    code = policy.refusal if policy is not None else "forbidden"
    raise PermissionDenied(code, "Din roll har inte behörighet till den här funktionen.")
