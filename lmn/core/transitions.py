"""The one transition check every lifecycle uses: a state machine as data.

Each app declares `TRANSITIONS` (status → the statuses it may move to) in its `states.py`;
its services call `check_transition` before the conditional update that moves the row,
and the refusal is a DomainError with a Swedish message the app words for its own thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .errors import DomainError

Transitions = Mapping[str, frozenset[str]]


def check_transition(
    transitions: Transitions,
    current: str,
    to: str,
    *,
    message: Callable[[str, str], str],
    code: str = "invalid_transition",
) -> None:
    """Raise unless `transitions` allows `current` → `to`.

    `message(current, to)` words the refusal; it is called only when refusing. A `to` that
    is no state at all is refused as an unknown status.
    """
    if to not in transitions:
        raise DomainError.single("invalid_status", "Okänd status.", "status")
    if to not in transitions.get(current, frozenset()):
        raise DomainError.single(code, message(current, to), "status")


def sources(transitions: Transitions, to: str) -> frozenset[str]:
    """The statuses from which `to` may be reached: for a conditional update that moves
    only rows still in one of them (`filter(status__in=sources(...)).update(...)`)."""
    return frozenset(current for current, targets in transitions.items() if to in targets)
