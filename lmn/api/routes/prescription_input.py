"""What the prescription routes accept: the request bodies, the Idempotency-Key and the
product an article number names (lmn/api/routes/prescriptions.py, prescription_work.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from django.http import HttpResponse
from ninja import Schema
from pydantic import ConfigDict, Field

from lmn.api.errors import ApiError
from lmn.api.fields import Amount, Id, Text20, Text1000
from lmn.catalog.models import Product
from lmn.core.errors import DomainError

# printable ASCII, as the IETF Idempotency-Key draft's examples (UUIDs, random strings)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class ConsumptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: Amount
    per: Literal["day", "week", "month"]


class PrescriptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    patient_id: Id
    article_number: Text20
    consumption: ConsumptionIn
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    max_supply_days: Amount | None = None
    instructions: Text1000 = Field(default="", description="Högst 500 tecken")


def require_key(raw: str | None) -> str:
    key = (raw or "").strip()
    if not key or not _KEY.match(key):
        raise ApiError(
            400,
            "idempotency_key_required",
            "Ange en Idempotency-Key (1–255 synliga ASCII-tecken, t.ex. ett UUID) så att "
            "en omsändning inte görs två gånger.",
            "Idempotency-Key",
        )
    return key


def replayed(response: HttpResponse, created: bool) -> None:
    if not created:
        response["Idempotent-Replayed"] = "true"


class ChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    based_on_version: Amount
    consumption: ConsumptionIn
    valid_until: dt.date
    max_supply_days: Amount
    instructions: Text1000 = Field(default="", description="Högst 500 tecken")


class RenewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    based_on_version: Amount
    valid_until: dt.date | None = Field(default=None, description="Annars policyns längsta")


class EndIn(Schema):
    model_config = ConfigDict(extra="forbid")

    based_on_version: Amount
    reason: Literal["no_longer_needed", "replaced", "deceased", "moved", "wrong_entry"]
    stop_open_withdrawals: bool = Field(
        description="true: makulera uttag som inte är plockade; false: låt dem levereras"
    )


class ReplaceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    based_on_version: Amount
    stop_open_withdrawals: bool
    article_number: Text20 = Field(description="Den nya produkten")
    consumption: ConsumptionIn
    valid_until: dt.date | None = None
    max_supply_days: Amount | None = None
    instructions: Text1000 = Field(default="", description="Högst 500 tecken")


def product_of(article_number: str) -> Product:
    product = Product.objects.select_related("area").filter(article_number=article_number).first()
    if product is None:
        raise DomainError.single(
            "product_not_found", "Det finns ingen produkt med det artikelnumret.", "article_number"
        )
    return product


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    based_on_version: Amount
    to_unit: Text20 = Field(description="Den mottagande enhetens kundnummer")
    message: Text1000 = Field(default="", description="Högst 500 tecken")
