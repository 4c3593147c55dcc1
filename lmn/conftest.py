"""Shared personas and fixtures for every app's tests.

Personas act in unit 602154 (a health centre) unless named otherwise; `outsider`
is a prescriber in another unit (604500).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import World

CHROMIUM = "/usr/bin/chromium"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's sync API with live_server


@pytest.fixture
def world(db: None) -> World:
    for code in f.ALL_AREAS:
        f.area(code)
    unit = f.make_unit("602154", name="Vårdcentralen Hjärtat")
    other = f.make_unit("604500", name="Privata Vårdcentralen")
    ward = f.make_unit("603001", name="Solgårdens särskilda boende", kind="special_housing")
    return World(
        unit=unit,
        other_unit=other,
        ward=ward,
        prescriber=f.make_user(
            "forskrivare", unit=unit, areas=["diabetes", "incontinence", "stoma"]
        ),
        dietitian=f.make_user("dietist", unit=unit, areas=["nutrition", "tube_feeding"]),
        doctor=f.make_user("lakare", unit=unit, role=Role.DOCTOR),
        orderer=f.make_user("bestallare", unit=ward, role=Role.ORDERER, joint_ordering=True),
        customer_service=f.make_user("kundtjanst", unit=None, role=Role.CUSTOMER_SERVICE),
        outsider=f.make_user("annanenhet", unit=other),
        patient=f.make_patient(f.PERSONNUMMER[0]),
        diabetes_product=f.make_product("diabetes", name="Testremsor Glukos", recommended=True),
        nutrition_product=f.make_product(
            "nutrition", name="Näringsdryck Choklad", ordering_unit="flaska"
        ),
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip what this machine cannot run, unless CI says it must (LMN_REQUIRE_BROWSER=1)."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    has_browser = os.path.exists(CHROMIUM)
    if not has_browser and os.environ.get("LMN_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"Browser tests are required but {CHROMIUM} is missing.")
    for item in items:
        if item.get_closest_marker("postgres_only") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if item.get_closest_marker("browser") and not has_browser:
            item.add_marker(pytest.mark.skip(reason=f"needs {CHROMIUM} (apt-get install chromium)"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL, let the flush between transactional tests TRUNCATE the audit tables.

    Their triggers refuse TRUNCATE except in a session that sets lmn.audit_maintenance
    (lmn/audit/migrations/0005); UPDATE and DELETE stay refused.
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        options = db.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c lmn.audit_maintenance=on".strip()


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher() -> Any:
    """PBKDF2 costs ~0.5 s per user; tests don't need to resist brute force."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def serialised_live_server() -> Any:
    """The live server answers one request at a time.

    With in-memory SQLite every request thread of Django's live server shares one
    connection, so two browser requests at once (a live preview and a search, say) can
    misuse it ("bad parameter or other API misuse"). Serialising requests mirrors the
    queue our SQLite backend puts writers in anyway.
    """
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test import testcases

    lock = threading.Lock()

    class SerialisedWSGIServer(ThreadedWSGIServer):
        def set_app(self, application: Any) -> None:
            def serialised(environ: Any, start_response: Any) -> Any:
                with lock:
                    return application(environ, start_response)

            super().set_app(serialised)

    original = testcases.LiveServerThread.server_class
    testcases.LiveServerThread.server_class = SerialisedWSGIServer
    yield
    testcases.LiveServerThread.server_class = original


@pytest.fixture(autouse=True)
def training_gateways(settings: Any) -> None:
    """Tests read what was sent from mail.outbox and the outbox folder, on either database;
    a test of the production gateways sets LMN_NOTIFICATION_GATEWAYS itself."""
    settings.LMN_NOTIFICATION_GATEWAYS = {"email": "email", "sms": "folder", "letter": "folder"}


@pytest.fixture(autouse=True)
def _fresh_region_policy() -> None:
    """A test's rolled-back policy rows must not be kept for the next test."""
    from lmn.delivery.policy import forget_region_policies

    forget_region_policies()
