from __future__ import annotations

from .models import RegionPolicy

HOME_REGION = "VG"


def region_policy(region: str = HOME_REGION) -> RegionPolicy:
    """The region's delivery policy; the routine's defaults if the region has no row."""
    policy = RegionPolicy.objects.filter(region=region).first()
    return policy or RegionPolicy(region=region)
