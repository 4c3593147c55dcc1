"""Who may use a route: the policy type and the role sets routes are declared with.

Each route declares its policy where the route itself is declared: the portal's in
lmn/web/urls.py, the API's at the top of each lmn/api/routes/<x>.py. Each adapter
enforces them in one place (lmn.web.middleware, lmn.api.auth) before a view runs
(403, audited, through lmn.audit.denials). What an allowed role then sees is scoped by
the domain queries (`*_visible_to`), where out-of-scope answers like missing (404). A
route without a policy is refused for everyone, and a test fails until it has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .actor import Role
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
        Role.PAYER,
    }
)
PATIENT_READERS = frozenset({Role.PRESCRIBER, Role.DOCTOR, Role.ORDERER, Role.CUSTOMER_SERVICE})
# PDL-1: those who state a care relationship to read other units' records
CARE_STAFF = frozenset({Role.PRESCRIBER, Role.DOCTOR, Role.ORDERER})
PRESCRIBERS = Role.PRESCRIBING
ORDERERS = Role.ORDERING
DISTRIBUTOR = frozenset({Role.DISTRIBUTOR})
PUBLIC: frozenset[str] = frozenset()  # marker: no login needed
HEADS = frozenset({Role.HEAD_OF_UNIT})
ADMINS = frozenset({Role.ADMIN})
PAYERS = frozenset({Role.PAYER})
# who sees a dashboard of what was ordered and what it cost: the head of unit for the
# unit, the payer's contact for what the payer pays
DASHBOARD_READERS = HEADS | PAYERS
MAILERS = frozenset({Role.ADMIN, Role.CUSTOMER_SERVICE})  # CON-4
# ACC-2: the Beställare makes joint orders; the permission itself is checked per membership
JOINT_ORDERERS = frozenset({Role.ORDERER})
CUSTOMER_SERVICE = frozenset({Role.CUSTOMER_SERVICE})
AUDITORS = frozenset({Role.AUDITOR})  # PDL-3: the log follow-up, never patients' records
SELF_SERVICE = Role.SELF_SERVICE  # the e-service (EPAT): patients and their proxies
SELF_ORDERING = Role.SELF_ORDERING


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


def public_route() -> RoutePolicy:
    return RoutePolicy(PUBLIC, public=True)


def prescribing(reads: str) -> RoutePolicy:
    return RoutePolicy(PRESCRIBERS, reads, refusal="ACC-2")  # only prescribers prescribe


def shipping(reads: str) -> RoutePolicy:
    return RoutePolicy(DISTRIBUTOR, reads, refusal="distributor_only")


def ordering(reads: str) -> RoutePolicy:
    return RoutePolicy(ORDERERS, reads, refusal="ACC-2")  # GEN-4: who may order


def heading() -> RoutePolicy:
    return RoutePolicy(HEADS, refusal="ACC-1")  # the head of unit applies (ACC-1, ACC-4)


def administering() -> RoutePolicy:
    return RoutePolicy(ADMINS, refusal="ACC-1")  # LMN administration decides


def for_customer_service(reads: str) -> RoutePolicy:
    return RoutePolicy(CUSTOMER_SERVICE, reads, refusal="customer_service_only")


def self_service(reads: str = "", *, ordering: bool = False) -> RoutePolicy:
    """An e-service page: the patient or a proxy; ordering pages not for view-only proxies."""
    return RoutePolicy(SELF_ORDERING if ordering else SELF_SERVICE, reads, refusal="EPAT-1")


def refusal(policy: RoutePolicy | None, role: str, method: str) -> PermissionDenied | None:
    """The refusal for a role the policy does not allow on this route (None if allowed).

    A route without a policy is refused for everyone.
    """
    if policy is not None and policy.allows(role, method):
        return None
    code = policy.refusal if policy is not None else "forbidden"
    return PermissionDenied(code, "Din roll har inte behörighet till den här funktionen.")
