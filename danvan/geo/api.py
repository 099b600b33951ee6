"""API endpoints of administrative units (mounted at /api/v1/units/).

Public and read-only. Answers are kept in Django's cache (`geo.cache`) and
sent with `Cache-Control: public, max-age=…`; errors are neither cached nor
marked public. Error messages follow `Accept-Language` (Vietnamese by
default).
"""

import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from danvan.core.text import fold
from danvan.geo import cache as units_cache
from danvan.geo import selectors
from danvan.geo.models import CommuneKind, DistrictKind, ProvinceKind

router = Router()


class ErrorOut(Schema):
    """An error, explained in the request's language."""

    detail: str = Field(
        description="Vietnamese by default, English with `Accept-Language: en`.",
        examples=["Không có tỉnh, thành phố nào mang mã 99."],
    )


class ProvinceOut(Schema):
    """A current province or centrally-run city (since 2025-07-01)."""

    code: int = Field(description="National code (General Statistics Office).", examples=[82])
    name: str = Field(examples=["Tỉnh Đồng Tháp"])
    kind: ProvinceKind


class CommuneOut(Schema):
    """A current commune, ward or special zone (since 2025-07-01)."""

    code: int = Field(description="National code (General Statistics Office).", examples=[4])
    name: str = Field(examples=["Phường Ba Đình"])
    kind: CommuneKind


class UnitMatchOut(Schema):
    """A current province or commune matching a search."""

    code: int
    name: str
    kind: ProvinceKind | CommuneKind
    level: Literal["province", "commune"]
    province_code: int = Field(description="The province itself for a province.")
    province_name: str


class LegacyDistrictOut(Schema):
    """A district of before 2025-07-01 (the level was abolished that day)."""

    code: int
    name: str
    kind: DistrictKind


class LegacyProvinceRefOut(Schema):
    """A province of before 2025-07-01."""

    code: int
    name: str
    kind: ProvinceKind


class LegacyProvinceOut(Schema):
    """A province of before 2025-07-01 and the current province it became part of."""

    code: int = Field(examples=[87])
    name: str = Field(examples=["Tỉnh Đồng Tháp"])
    kind: ProvinceKind
    valid_to: datetime.date = Field(description="Last day in force.")
    current_provinces: list[ProvinceOut]


class CurrentCommuneShareOut(Schema):
    """A current commune that took in all or part of a legacy commune."""

    code: int
    name: str
    kind: CommuneKind
    province_code: int
    province_name: str
    is_partial: bool = Field(
        description="Only part of the legacy commune went to this commune (it was split)."
    )


class LegacyCommuneOut(Schema):
    """A commune of before 2025-07-01 and the current commune(s) it became part of."""

    code: int = Field(examples=[13])
    name: str = Field(examples=["Phường Quán Thánh"])
    kind: CommuneKind
    valid_to: datetime.date = Field(description="Last day in force.")
    district: LegacyDistrictOut
    province: LegacyProvinceRefOut
    current_communes: list[CurrentCommuneShareOut]


def _public(response: HttpResponse) -> None:
    patch_cache_control(response, public=True, max_age=units_cache.HTTP_MAX_AGE)


def _error(
    request: HttpRequest,
    response: HttpResponse,
    status: int,
    message: Promise,
    **params: object,
) -> Status[dict[str, str]]:
    """Return an error answer with `message` in the client's language.

    `danvan.api.middleware.ApiLanguageMiddleware` has activated the language
    the client asked for with `Accept-Language`.
    """
    text = str(message) % params if params else str(message)
    return Status(status, {"detail": text})


def _unit(unit: Any) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


@router.get(
    "/provinces",
    response=list[ProvinceOut],
    summary="List the current provinces",
    description="The 34 provinces and centrally-run cities in force since 2025-07-01, by code.",
)
def province_list(request: HttpRequest, response: HttpResponse) -> list[dict[str, Any]]:
    payload = units_cache.get_or_compute(
        ("provinces",), lambda: [_unit(p) for p in selectors.province_list()]
    )
    _public(response)
    return payload or []


@router.get(
    "/provinces/{code}/communes",
    response={200: list[CommuneOut], 404: ErrorOut},
    summary="List the communes of a current province",
    description="The communes, wards and special zones of a current province, by code.",
)
def commune_list(request: HttpRequest, response: HttpResponse, code: int) -> Any:
    def compute() -> list[dict[str, Any]] | None:
        if selectors.province_get(code) is None:
            return None
        return [_unit(c) for c in selectors.commune_list_for_province(code)]

    payload = units_cache.get_or_compute(("communes", str(code)), compute)
    if payload is None:
        return _error(request, response, 404, _("No province has the code %(code)s."), code=code)
    _public(response)
    return payload


@router.get(
    "/search",
    response={200: list[UnitMatchOut], 400: ErrorOut},
    summary="Search current provinces and communes by name",
    description=(
        "Accents and case are ignored (`dong thap` finds Tỉnh Đồng Tháp). Provinces come "
        "first, then exact names, names that start with the text, then the rest. "
        f"`q` needs {selectors.SEARCH_MIN_LENGTH} to {selectors.SEARCH_MAX_LENGTH} "
        f"characters; `limit` is 1 to {selectors.SEARCH_MAX_LIMIT}."
    ),
)
def unit_search(
    request: HttpRequest,
    response: HttpResponse,
    q: str = "",
    limit: int = selectors.SEARCH_DEFAULT_LIMIT,
) -> Any:
    folded = fold(q)
    if not folded:
        return _error(request, response, 400, _("Type a name to search for."))
    if len(folded) < selectors.SEARCH_MIN_LENGTH:
        return _error(
            request,
            response,
            400,
            _("Type at least %(count)d characters: one letter matches too many units."),
            count=selectors.SEARCH_MIN_LENGTH,
        )
    if len(folded) > selectors.SEARCH_MAX_LENGTH:
        return _error(
            request,
            response,
            400,
            _("The search text is too long: at most %(count)d characters."),
            count=selectors.SEARCH_MAX_LENGTH,
        )
    if not 1 <= limit <= selectors.SEARCH_MAX_LIMIT:
        return _error(
            request,
            response,
            400,
            _("The limit must be between 1 and %(max)d."),
            max=selectors.SEARCH_MAX_LIMIT,
        )
    payload = units_cache.get_or_compute(
        ("search", folded, str(limit)),
        lambda: [vars(match) for match in selectors.unit_search(folded, limit)],
    )
    _public(response)
    return payload


@router.get(
    "/legacy/provinces/{code}",
    response={200: LegacyProvinceOut, 404: ErrorOut},
    summary="Find what a legacy province became",
    description="A province of before 2025-07-01 and the current province it became part of.",
)
def legacy_province_detail(request: HttpRequest, response: HttpResponse, code: int) -> Any:
    def compute() -> dict[str, Any] | None:
        found = selectors.legacy_province_get(code)
        if found is None:
            return None
        return {
            **_unit(found.unit),
            "valid_to": found.unit.valid_to,
            "current_provinces": [_unit(p) for p in found.current],
        }

    payload = units_cache.get_or_compute(("legacy-province", str(code)), compute)
    if payload is None:
        return _error(
            request, response, 404, _("No legacy province has the code %(code)s."), code=code
        )
    _public(response)
    return payload


@router.get(
    "/legacy/communes/{code}",
    response={200: LegacyCommuneOut, 404: ErrorOut},
    summary="Find what a legacy commune became",
    description=(
        "A commune of before 2025-07-01 with its district and province, and the current "
        "commune(s) it became part of; a split commune lists each with `is_partial`."
    ),
)
def legacy_commune_detail(request: HttpRequest, response: HttpResponse, code: int) -> Any:
    def compute() -> dict[str, Any] | None:
        found = selectors.legacy_commune_get(code)
        if found is None:
            return None
        return {
            **_unit(found.unit),
            "valid_to": found.unit.valid_to,
            "district": _unit(found.unit.district),
            "province": _unit(found.unit.province),
            "current_communes": [
                {
                    **_unit(share.commune),
                    "province_code": share.commune.province.code,
                    "province_name": share.commune.province.name,
                    "is_partial": share.is_partial,
                }
                for share in found.current
            ],
        }

    payload = units_cache.get_or_compute(("legacy-commune", str(code)), compute)
    if payload is None:
        return _error(
            request, response, 404, _("No legacy commune has the code %(code)s."), code=code
        )
    _public(response)
    return payload
