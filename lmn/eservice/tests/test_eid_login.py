"""Production login: the personnummer claim from e-identification logs the person in (the
provider's answers are stood in for: the token exchange and signature check are the
library's, as for the staff login)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client, override_settings

from lmn.eservice.oidc import PatientOidc, personnummer_from_claims
from lmn.testing.types import World

pytestmark = pytest.mark.django_db

CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
OIDC = {
    "ESERVICE_OIDC_ENABLED": True,
    "ESERVICE_OIDC_RP_CLIENT_ID": "lmn-e-tjanst",
    "ESERVICE_OIDC_RP_CLIENT_SECRET": "secret",
    "ESERVICE_OIDC_RP_SIGN_ALGO": "HS256",
    "ESERVICE_OIDC_OP_AUTHORIZATION_ENDPOINT": "https://eid.example/authorize",
    "ESERVICE_OIDC_OP_TOKEN_ENDPOINT": "https://eid.example/token",
    "ESERVICE_OIDC_OP_USER_ENDPOINT": "",
}


def test_the_claim_maps_to_a_personnummer() -> None:
    assert personnummer_from_claims({CLAIM: "191212121212"}, claim=CLAIM) == "191212121212"
    assert personnummer_from_claims({CLAIM: "19121212-1213"}, claim=CLAIM) is None
    assert personnummer_from_claims({}, claim=CLAIM) is None


@pytest.mark.rule("EPAT-1")
@override_settings(**OIDC)
def test_e_identification_logs_the_patient_in(
    es_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def verify(self: PatientOidc, token: str, **kwargs: Any) -> dict[str, Any]:
        seen["nonce"] = kwargs.get("nonce")
        return {CLAIM: es_world.patient.identifier, "nonce": kwargs.get("nonce")}

    monkeypatch.setattr(PatientOidc, "get_token", lambda self, payload: {"id_token": "x"})
    monkeypatch.setattr(PatientOidc, "verify_token", verify)
    client = Client()
    start = client.get("/e-tjanst/e-legitimation/")
    assert start.status_code == 302 and start["Location"].startswith("https://eid.example/")
    query = parse_qs(urlparse(start["Location"]).query)
    state = query["state"][0]
    wrong = Client().get(f"/e-tjanst/e-legitimation/svar/?code=c&state={state}")
    assert wrong.status_code == 403  # another browser, without the state
    answer = client.get(f"/e-tjanst/e-legitimation/svar/?code=c&state={state}")
    assert answer.status_code == 302 and seen["nonce"] == query["nonce"][0]
    client.get("/e-tjanst/valj/")
    assert client.get("/e-tjanst/produkter/").status_code == 200


def test_without_configuration_there_is_no_e_identification(db: None) -> None:
    assert Client().get("/e-tjanst/e-legitimation/").status_code == 404
