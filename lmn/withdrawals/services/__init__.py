"""Withdrawals: placing one (with its preview), and moving it between statuses.

One module per use case: `place` (idempotency, lock, write), `check` (every rule, shared by
the preview), `shape` (the input before any rule), `stock`, `numbering`, `transition`;
`drafts` holds what the orderer fills in.
"""

from .check import preview_withdrawal
from .drafts import (
    FIRST_NUMBER,
    MAX_LINES,
    MAX_QUANTITY,
    IdempotencyConflict,
    LineDraft,
    WithdrawalDraft,
    event_actor,
    is_child,
)
from .identity import has_withdrawals, move_to_patient
from .numbering import next_in_series
from .place import place_withdrawal
from .transition import transition

__all__ = [
    "FIRST_NUMBER",
    "MAX_LINES",
    "MAX_QUANTITY",
    "IdempotencyConflict",
    "LineDraft",
    "WithdrawalDraft",
    "event_actor",
    "has_withdrawals",
    "is_child",
    "move_to_patient",
    "next_in_series",
    "place_withdrawal",
    "preview_withdrawal",
    "transition",
]
