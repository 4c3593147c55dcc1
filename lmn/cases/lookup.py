"""Moved to queries.py (the one room for what an actor may see); this re-export keeps the
portal's imports working until they point there."""

from __future__ import annotations

from .queries import case_patient, get_case, list_cases

__all__ = ["case_patient", "get_case", "list_cases"]
