"""The portal answers a service's NotFound and PermissionDenied in one place (issue 9).

Views let both refusals propagate; the ActingUnitMiddleware that wraps every portal view
turns them into the Swedish 404 page and the 403 page with the refusal's message.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.testing.types import ClientFor, World
from lmn.web.errors import page_for_refusal

VIEWS = Path(__file__).resolve().parents[1] / "views"
# where a view deliberately answers a refusal otherwise than with its page:
# the live order summary stays quiet (the order itself says it in full), and the
# e-mail confirmation page asks for an address when none can be sent to
DELIBERATE = {("withdrawals.py", "_rules_too"), ("contact.py", "confirm_email")}


def _handlers_of_refusals() -> set[tuple[str, str]]:
    found = set()
    for path in VIEWS.glob("*.py"):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.ExceptHandler) and node.type is not None:
                    names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                    if names & {"NotFound", "PermissionDenied"}:
                        found.add((path.name, func.name))
    return found


def test_views_leave_not_found_and_permission_denied_to_the_one_mapping() -> None:
    assert _handlers_of_refusals() <= DELIBERATE


def _request() -> Any:
    request = RequestFactory().get("/uttag/U00000000/")
    request.user = AnonymousUser()
    return request


def test_a_permission_refusal_is_the_403_page_with_its_message() -> None:
    response = page_for_refusal(_request(), PermissionDenied("ACC-2", "Din roll får inte."))
    assert response is not None and response.status_code == 403
    html = response.content.decode()
    assert "Du saknar behörighet" in html and "Din roll får inte." in html
    assert "ACC-2" not in html


def test_not_found_is_the_404_page_and_other_errors_are_not_mapped() -> None:
    with pytest.raises(Http404):
        page_for_refusal(_request(), NotFound())
    assert page_for_refusal(_request(), DomainError.single("x", "Fel.")) is None


def test_a_withdrawal_that_does_not_exist_is_the_swedish_404_page(
    client_for: ClientFor, world: World
) -> None:
    response = client_for(world.prescriber).get("/uttag/U99999999/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()
