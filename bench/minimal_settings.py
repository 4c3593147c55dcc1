"""LMN's settings with a one-view URLconf: the floor a Django order endpoint can reach.

Used only by the benchmarks (bench/run.py); never shipped with the product.
"""

from __future__ import annotations

from lmn.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.minimal_app"
