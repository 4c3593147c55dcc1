"""Search parameters and searchset Bundles: total, paging links, strict handling.

An unknown parameter is refused (400) under `Prefer: handling=strict`; otherwise it is
ignored and reported in an OperationOutcome entry of the Bundle (search.mode "outcome"),
as the FHIR search page describes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from lmn.core.errors import Problem

from .outcome import FhirError, issue, outcome

MOUNT = "fhir/r4/"
DEFAULT_COUNT = 20
MAX_COUNT = 100
_PAGING = frozenset({"_count", "_offset"})
_ALWAYS_IGNORED = frozenset({"_format", "_pretty"})  # we answer JSON either way


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/" + MOUNT).rstrip("/")


@dataclass
class Search:
    """The parameters a search understood, and what it ignored."""

    params: dict[str, str]
    count: int
    offset: int
    ignored: list[str] = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.params.get(name, "")


def parse_search(request: HttpRequest, known: Sequence[str]) -> Search:
    strict = "handling=strict" in request.headers.get("Prefer", "").replace(" ", "")
    params: dict[str, str] = {}
    ignored: list[str] = []
    for name in request.GET:
        if name in known or name in _PAGING:
            values = request.GET.getlist(name)
            if len(values) > 1:
                raise FhirError(
                    400,
                    "repeated_parameter",
                    f"Sökparametern {name} får bara anges en gång.",
                    field=name,
                )
            params[name] = values[0].strip()
        elif name not in _ALWAYS_IGNORED:
            if strict:
                raise FhirError(
                    400,
                    "unknown_search_parameter",
                    f"Sökparametern {name} stöds inte.",
                    issue_type="not-supported",
                    field=name,
                )
            ignored.append(name)
    return Search(
        params,
        _int(params, "_count", DEFAULT_COUNT, 0, MAX_COUNT),
        _int(params, "_offset", 0, 0, 1_000_000),
        ignored,
    )


def _int(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.pop(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise FhirError(
            400, "invalid_search_value", f"{name} ska vara ett heltal {low}–{high}.", field=name
        )
    return int(raw)


def searchset(
    request: HttpRequest,
    resource_type: str,
    search: Search,
    total: int,
    resources: list[dict[str, Any]],
) -> dict[str, Any]:
    """A searchset Bundle of one page, with self/first/previous/next/last links."""
    base = base_url(request)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": _links(f"{base}/{resource_type}", search, total),
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }
    if search.ignored:
        problems = [
            Problem("unknown_search_parameter", f"Sökparametern {n} stöds inte och ignorerades.", n)
            for n in search.ignored
        ]
        bundle["entry"].append(
            {
                "resource": outcome(
                    [issue(p, issue_type="not-supported", severity="warning") for p in problems]
                ),
                "search": {"mode": "outcome"},
            }
        )
    if not bundle["entry"]:
        del bundle["entry"]
    return bundle


def _links(url: str, search: Search, total: int) -> list[dict[str, str]]:
    def link(relation: str, offset: int) -> dict[str, str]:
        query = {**search.params, "_count": str(search.count), "_offset": str(offset)}
        return {"relation": relation, "url": f"{url}?{urlencode(query)}"}

    links = [link("self", search.offset), link("first", 0)]
    if search.offset > 0:
        links.append(link("previous", max(0, search.offset - max(search.count, 1))))
    if search.count and search.offset + search.count < total:
        links.append(link("next", search.offset + search.count))
    last = ((total - 1) // search.count) * search.count if search.count and total else 0
    links.append(link("last", last))
    return links


def page(rows: Any, search: Search) -> list[Any]:
    """One page of a list or a queryset (sliced in SQL)."""
    return list(rows[search.offset : search.offset + search.count])


def reference_id(value: str, resource_type: str) -> str:
    """ "Patient/12", a full URL ending so, or "12" → "12"; another type → ""."""
    value = value.strip()
    if "/" in value:
        kind, _, ident = value.rstrip("/").rpartition("/")
        if kind.rsplit("/", 1)[-1] != resource_type:
            return ""
        return ident
    return value


def int_id(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < len(value) <= 12 else None
