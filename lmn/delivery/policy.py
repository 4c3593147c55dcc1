"""The region's delivery policy, read once and kept for a short while.

Every order reads the policy; it changes a few times a year, in the admin. A process keeps
it for `LMN_REFERENCE_CACHE_SECONDS` (30 s unless set): a change made in this process is
seen by the next order at once (saving, updating or deleting a policy forgets it here, and
again when its transaction commits), a change made by another server within that time.
"""

from __future__ import annotations

import time

from django.conf import settings

from .kept import forget_region_policies, policies
from .models import RegionPolicy

HOME_REGION = "VG"

__all__ = ["HOME_REGION", "forget_region_policies", "region_policy"]


def region_policy(region: str = HOME_REGION) -> RegionPolicy:
    """The region's delivery policy; the routine's defaults if the region has no row.
    Read-only: change a policy through its row, never through the object returned."""
    now = time.monotonic()
    hit = policies.get(region)
    if hit is not None and now - hit[0] < _seconds():
        kept: RegionPolicy = hit[1]
        return kept
    policy = RegionPolicy.objects.filter(region=region).first() or RegionPolicy(region=region)
    policies[region] = (now, policy)
    return policy


def _seconds() -> float:
    return float(getattr(settings, "LMN_REFERENCE_CACHE_SECONDS", 30))
