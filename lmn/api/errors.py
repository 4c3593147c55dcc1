"""The API's one error shape, and the handlers that map exceptions onto it.

Every refusal answers `{"errors": [{"code", "field", "message"}]}` with a stable code
(a RULES.md rule ID when a rule refuses, else snake_case) and a plain Swedish message,
so that clients can branch on codes and show messages as they are.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from lmn.accounts.throttle import TooManyLoginAttempts
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.prescriptions.idempotency import IdempotencyConflict as PrescriptionIdempotencyConflict
from lmn.withdrawals.services import IdempotencyConflict

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    code: str
    field: str | None
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorOut]


# the error statuses every authenticated operation may answer, for the OpenAPI document
COMMON_ERRORS: dict[int, type[Schema]] = {401: ErrorsOut, 403: ErrorsOut, 422: ErrorsOut}


class ApiError(Exception):
    """A refusal decided by the adapter itself (e.g. a missing Idempotency-Key header)."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        super().__init__(f"{status} {code}")


class InvalidJson(Exception):
    """The request body is not a JSON document we accept."""


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


class StrictJsonParser(Parser):
    """json.loads without NaN/Infinity; every failure becomes InvalidJson (→ 422 invalid_json).

    Ninja wraps parser exceptions in HttpError(400); the handler below recognises
    InvalidJson as the cause and answers in our own shape.
    """

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        try:
            data: DictStrAny = json.loads(request.body, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as e:  # UnicodeDecodeError is a ValueError
            raise InvalidJson() from e
        return data


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    errors: list[dict[str, str | None]],
) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


def one(code: str, message: str, field: str | None = None) -> list[dict[str, str | None]]:
    return [{"code": code, "field": field, "message": message}]


# pydantic error types → our stable codes and Swedish messages
_VALIDATION_CODES: dict[str, tuple[str, str]] = {
    "missing": ("required", "Uppgiften måste anges."),
    "extra_forbidden": ("unknown_field", "Okänt fält."),
    "int_type": ("invalid_integer", "Ange ett heltal."),
    "int_parsing": ("invalid_integer", "Ange ett heltal."),
    "int_from_float": ("invalid_integer", "Ange ett heltal."),
    "bool_type": ("invalid_boolean", "Ange true eller false."),
    "bool_parsing": ("invalid_boolean", "Ange true eller false."),
    "string_type": ("invalid_string", "Ange en text."),
    "string_too_long": ("too_long", "Texten är för lång."),
    "string_too_short": ("required", "Uppgiften måste anges."),
    "string_pattern_mismatch": ("invalid_format", "Värdet har fel format."),
    "less_than": ("out_of_range", "Värdet är för stort."),
    "less_than_equal": ("out_of_range", "Värdet är för stort."),
    "greater_than": ("out_of_range", "Värdet är för litet."),
    "greater_than_equal": ("out_of_range", "Värdet är för litet."),
    "literal_error": ("invalid_choice", "Värdet är inte ett av de tillåtna."),
    "enum": ("invalid_choice", "Värdet är inte ett av de tillåtna."),
    "date_type": ("invalid_date", "Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_parsing": ("invalid_date", "Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_parsing": ("invalid_date", "Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_inexact": ("invalid_date", "Ange ett datum som ÅÅÅÅ-MM-DD."),
    "model_type": ("invalid_object", "Ange ett JSON-objekt."),
    "model_attributes_type": ("invalid_object", "Ange ett JSON-objekt."),
    "dict_type": ("invalid_object", "Ange ett JSON-objekt."),
    "list_type": ("invalid_list", "Ange en lista."),
    "too_long": ("too_many_items", "Listan har för många rader."),
    "too_short": ("required", "Listan får inte vara tom."),
    "invalid_characters": ("invalid_characters", "Texten innehåller otillåtna tecken."),
    "string_unicode": ("invalid_characters", "Texten innehåller otillåtna tecken."),
}


def field_path(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """("body", "payload", "lines", 0, "quantity") → "lines[0].quantity"."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source = parts.pop(0)
        # a body param is nested under its argument name, which clients never see
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or None


def validation_problems(errors: list[dict[str, Any]]) -> list[dict[str, str | None]]:
    result: list[dict[str, str | None]] = []
    for err in errors:
        code, message = _VALIDATION_CODES.get(
            str(err.get("type", "")), ("invalid_value", "Värdet är ogiltigt.")
        )
        result.append({"code": code, "field": field_path(err.get("loc", ())), "message": message})
    return result


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`; later registrations replace ninja's defaults."""
    _install_request_errors(api)
    _install_domain_errors(api)


def _install_request_errors(api: NinjaAPI) -> None:
    """What is wrong with the request itself: shape, authentication, size, floods."""

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(api, request, 422, validation_problems(list(exc.errors)))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, InvalidJson):
            return error_response(
                api,
                request,
                422,
                one("invalid_json", "Begäran är inte giltig JSON.", None),
            )
        if isinstance(exc, AuthenticationError):
            response = error_response(
                api,
                request,
                401,
                one(
                    "not_authenticated",
                    "Logga in: ange en giltig token i Authorization: Bearer <token>.",
                ),
            )
            response["WWW-Authenticate"] = "Bearer"
            return response
        return error_response(api, request, exc.status_code, one("http_error", str(exc)))

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, exc.status, one(exc.code, exc.message, exc.field))

    @api.exception_handler(RequestDataTooBig)
    @api.exception_handler(TooManyFieldsSent)
    @api.exception_handler(TooManyFilesSent)
    def on_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        # a body over DATA_UPLOAD_MAX_MEMORY_SIZE or the field limits (settings)
        return error_response(
            api,
            request,
            413,
            one("request_too_large", "Begäran är för stor. Skicka färre rader på en gång."),
        )

    @api.exception_handler(TooManyLoginAttempts)
    def on_login_flood(request: HttpRequest, exc: TooManyLoginAttempts) -> HttpResponse:
        response = error_response(api, request, 429, one("too_many_login_attempts", exc.message))
        response["Retry-After"] = str(exc.retry_after)
        return response


def _install_domain_errors(api: NinjaAPI) -> None:
    """What the services refuse, mapped once for every route; anything else is a 500."""

    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(api, request, 422, [p.as_dict() for p in exc.problems])

    @api.exception_handler(NotFound)
    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 404, one("not_found", "Hittades inte."))

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, one(exc.code, exc.message))

    @api.exception_handler(IdempotencyConflict)
    def on_idempotency_conflict(request: HttpRequest, exc: IdempotencyConflict) -> HttpResponse:
        return error_response(
            api,
            request,
            409,
            one(
                "idempotency_key_reused",
                "Idempotency-Key har redan använts för en annan beställning.",
                "Idempotency-Key",
            ),
        )

    @api.exception_handler(PrescriptionIdempotencyConflict)
    def on_prescription_key_reused(
        request: HttpRequest, exc: PrescriptionIdempotencyConflict
    ) -> HttpResponse:
        return error_response(
            api,
            request,
            409,
            one(
                "idempotency_key_reused",
                "Idempotency-Key har redan använts för en annan begäran.",
                "Idempotency-Key",
            ),
        )

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # never a traceback or a Django HTML page to an API client; the log has the details
        logger.exception("Unhandled API error")
        return error_response(
            api,
            request,
            500,
            one("internal_error", "Något gick fel hos oss. Försök igen om en stund."),
        )
