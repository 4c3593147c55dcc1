"""Reference data a process keeps between requests, and forgetting it on a change.

Apart from the models, so that a model's save can forget what lmn.delivery.policy keeps.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

# region -> (when read, by time.monotonic(), the RegionPolicy read)
policies: dict[str, tuple[float, Any]] = {}


def forget_region_policies() -> None:
    """Read the policies again at the next order (after a change), here and on commit."""
    policies.clear()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(policies.clear)
