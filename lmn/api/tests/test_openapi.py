from __future__ import annotations

from typing import Any

from django.test import Client


def test_openapi_is_served_and_documents_bearer_auth(db: Any) -> None:
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
    }
    paths = doc["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/patients",
        "/api/v1/patients/{patient_id}",
        "/api/v1/products",
        "/api/v1/prescriptions",
        "/api/v1/prescriptions/{prescription_id}",
        "/api/v1/withdrawals",
        "/api/v1/withdrawals/{number}",
        "/api/v1/withdrawals/preview",
        "/api/v1/withdrawals/{number}/label.pdf",
        "/api/v1/pickup-points",
        "/api/v1/distributor/withdrawals",
        "/api/v1/distributor/withdrawals/{number}/events",
        "/api/v1/distributor/withdrawals/{number}/collection",
    ):
        assert path in paths, path
    assert paths["/api/v1/patients"]["get"]["security"] == [{"BearerToken": []}]
    assert "security" not in paths["/api/v1/auth/token"]["post"]
    params = paths["/api/v1/withdrawals"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in params)


def test_openapi_documents_the_label_as_pdf_and_never_the_pickup_code(db: Any) -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    label = doc["paths"]["/api/v1/withdrawals/{number}/label.pdf"]["get"]
    assert "application/pdf" in label["responses"]["200"]["content"]
    assert "pickup_code" not in str(doc["components"]["schemas"])
