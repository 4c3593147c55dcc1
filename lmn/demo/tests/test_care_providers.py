"""The training world's care providers: the region, municipalities and private providers,
each with an HSA-id, so that care relationships across providers can be practised (PDL-1)."""

from __future__ import annotations

import pytest

from lmn.demo import data


@pytest.mark.rule("PDL-1")
def test_the_training_world_has_the_region_a_municipality_and_a_private_provider() -> None:
    kinds = {kind for _name, kind, _hsa in data.PROVIDERS.values()}
    assert {"region", "municipality", "private"} <= kinds
    assert all(hsa.startswith("SE") for _n, _k, hsa in data.PROVIDERS.values())
    used = {spec.provider for spec in data.UNITS}
    assert {"vgr", "capio", "goteborg"} <= used
