"""Customer-service cases: submitted by the prescriber, decided by customer service.

The case replaces the faxed forms of the routine (CH-1): asylum seekers (ASYL-3..ASYL-5),
persons without permit (UT-2..UT-4), protected identities (SKYDD-2..SKYDD-5), products
outside the assortment (OOA-1, OOA-2) and patients registered in another region (CH-1).
A case is validated when it is filled in; customer service approves it, returns it for
completion with a stated reason, or rejects it, and the prescriber gets an e-mail about
every decision (CON-4). Approval registers the patient and creates the prescription in
the same transaction as the decision.

One module per use case: `submit`, `decide` (with `register`, what approval carries out),
`validate`; `common` holds the draft and the role checks, `move` the status change.
"""

from .common import CaseDraft, cases_visible_to, work_queue
from .decide import approve_case, reject_case, return_case
from .submit import complete_case, submit_case
from .validate import validate_case

__all__ = [
    "CaseDraft",
    "approve_case",
    "cases_visible_to",
    "complete_case",
    "reject_case",
    "return_case",
    "submit_case",
    "validate_case",
    "work_queue",
]
