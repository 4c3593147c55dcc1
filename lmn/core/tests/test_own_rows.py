"""Each domain app writes only its own rows; another app's rows change through that app's
services (so its rules, locks and audit stay in one place)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

LMN = Path(__file__).resolve().parents[2]
DOMAIN_APPS = [
    "accounts",
    "cases",
    "catalog",
    "delivery",
    "invoicing",
    "notifications",
    "organisations",
    "patients",
    "prescriptions",
    "withdrawals",
]
WRITES = {"create", "update", "update_or_create", "get_or_create", "bulk_create", "delete"}


def _foreign_writes(app: str) -> list[str]:
    owner = {m.__name__: m._meta.app_label for m in apps.get_models()}
    found = []
    for path in sorted((LMN / app).rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            # Model.objects[.filter(...)...].<write>(...)
            if not (isinstance(node, ast.Attribute) and node.attr in WRITES):
                continue
            root = node.value
            while isinstance(root, ast.Call | ast.Attribute):
                root = root.func if isinstance(root, ast.Call) else root.value
            if isinstance(root, ast.Name) and owner.get(root.id, app) != app:
                found.append(f"{path.relative_to(LMN)}:{node.lineno} {root.id}.…{node.attr}")
    return found


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_an_app_writes_no_other_apps_rows(app: Any) -> None:
    assert _foreign_writes(app) == []
