"""Moved to queries.py (the one room for what an actor may see); this re-export keeps the
portal's imports working until they point there."""

from __future__ import annotations

from .queries import WITHDRAWAL_NUMBER, get_withdrawal

__all__ = ["WITHDRAWAL_NUMBER", "get_withdrawal"]
