"""The generic transition check: states as data, a Swedish refusal worded by the caller."""

from __future__ import annotations

import pytest

from lmn.core.errors import DomainError
from lmn.core.transitions import check_transition

LIGHTS = {"red": frozenset({"green"}), "green": frozenset({"red"})}


def _message(current: str, to: str) -> str:
    return f"Kan inte gå från {current} till {to}."


def test_an_allowed_move_passes() -> None:
    check_transition(LIGHTS, "red", "green", message=_message)


def test_a_move_the_table_does_not_allow_is_refused_in_the_callers_words() -> None:
    with pytest.raises(DomainError) as refused:
        check_transition(LIGHTS, "red", "red", message=_message, code="not_now")
    (problem,) = refused.value.problems
    assert (problem.code, problem.message, problem.field) == (
        "not_now",
        "Kan inte gå från red till red.",
        "status",
    )


def test_an_unknown_status_is_refused_as_such() -> None:
    with pytest.raises(DomainError) as refused:
        check_transition(LIGHTS, "red", "blue", message=_message)
    assert refused.value.problems[0].code == "invalid_status"


def test_sources_are_the_statuses_a_move_may_start_from() -> None:
    from lmn.core.transitions import sources

    assert sources(LIGHTS, "green") == {"red"}
