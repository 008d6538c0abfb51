"""Pieces every portfolio API view shares: input fields for amounts, dates and ids, output fields for
money in fen and as decimal strings, visibility and audit-source helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from qingzhai.core import audit
from qingzhai.core.api_views import (
    DETAIL_ERRORS,
    ERR_400,
    ERR_401,
    ERR_403,
    ERR_404,
    ERR_409,
    ERR_413,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    ErrorSerializer,
    HasCapability,
    request_data,
)
from qingzhai.core.dates import DateError, date_message, parse_date
from qingzhai.core.errors import NotFound
from qingzhai.core.i18n import bi
from qingzhai.core.money import AmountError, amount_message, fen_to_decimal, parse_fen

MAX_ID = 2**63 - 1
# One trillion yuan: far above any real debt, far below the 64-bit column limit.
MAX_AMOUNT_FEN = 100_000_000_000_000
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


# The error schema and the base view come from core.api; re-exported for the views here.
__all__ = [
    "DETAIL_ERRORS",
    "ERR_400",
    "ERR_401",
    "ERR_403",
    "ERR_404",
    "ERR_409",
    "ERR_413",
    "LIST_ERRORS",
    "WRITE_ERRORS",
    "AmountField",
    "ApiView",
    "ContactPointSerializer",
    "CreditorRefSerializer",
    "DateInputField",
    "DateTimeInputField",
    "ErrorSerializer",
    "HasCapability",
    "IdField",
    "PortfolioRefSerializer",
    "UserRefSerializer",
    "YuanField",
    "api_write",
    "body",
    "get_visible",
    "money_fields",
    "query",
]


def get_visible(queryset: QuerySet[Any], pk: int) -> Any:
    """The row with `pk` from a queryset already narrowed to what the user may see, or 404."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


@contextmanager
def api_write() -> Iterator[None]:
    """Label the audit events written by a service call as coming from the API."""
    with audit.source("api"):
        yield


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """Validate query parameters with a serializer (400 with per-field messages when invalid)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def body(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request_data(request))
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- input fields ----------------------------------------------------------------------------------


def IdField(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "example": "1234.56"},
            {"type": "number", "example": 1234.56},
        ],
        "description": "Amount in yuan: a decimal string (¥ and thousands separators accepted) or a number",
    }
)
class AmountField(serializers.Field):
    """An amount in yuan in, integer fen out."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self._fail("amount_invalid", data)
        if isinstance(data, str) and len(data) > 40:
            self._fail("amount_invalid", data)
        raw: str | int | Decimal
        if isinstance(data, float):
            if data != data or data in (float("inf"), float("-inf")):
                self._fail("amount_invalid", data)
            raw = Decimal(repr(data))
        else:
            raw = data
        try:
            fen = parse_fen(raw)
        except AmountError as exc:
            self._fail(exc.code, data)
        if fen > MAX_AMOUNT_FEN:
            self._fail("amount_too_large", data)
        return fen

    def to_representation(self, value: int) -> str:
        return str(fen_to_decimal(value))

    def _fail(self, code: str, value: Any) -> NoReturn:
        raise serializers.ValidationError(bi(*amount_message(code, str(value)[:40])), code=code)


@extend_schema_field(OpenApiTypes.DATE)
class DateInputField(serializers.Field):
    """A date as people write it (2024-03-01, 2024/3/1, 2024年3月1日); ISO 8601 is the documented form."""

    def to_internal_value(self, data: Any) -> date:
        if not isinstance(data, str) or len(data) > 40:
            self._fail("date_format", data)
        try:
            value = parse_date(data)
        except DateError as exc:
            self._fail(exc.code, data)
        if not MIN_DATE <= value <= MAX_DATE:
            self._fail("date_range", data)
        return value

    def to_representation(self, value: date) -> str:
        return value.isoformat()

    def _fail(self, code: str, value: Any) -> NoReturn:
        raise serializers.ValidationError(bi(*date_message(code, str(value)[:40])), code=code)


class DateTimeInputField(serializers.DateTimeField):
    def to_internal_value(self, value: Any) -> Any:
        result = super().to_internal_value(value)
        if not MIN_DATE.year <= result.year <= MAX_DATE.year:
            raise serializers.ValidationError(
                bi("时间超出范围（1900–2199 年）", "The time is out of range (1900–2199)"), code="date_range"
            )
        return result


# --- output fields ---------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^-?\d+\.\d{2}$", "example": "1234.56"}
)
class YuanField(serializers.ReadOnlyField):
    """Integer fen rendered as a decimal string in yuan: 100000 -> "1000.00"."""

    def to_representation(self, value: int | None) -> str | None:
        return None if value is None else str(fen_to_decimal(value))


def money_fields(*names: str) -> dict[str, serializers.Field]:
    """`<name>_fen` (integer fen) and `<name>` (decimal string) for each money attribute."""
    out: dict[str, serializers.Field] = {}
    for name in names:
        out[f"{name}_fen"] = serializers.IntegerField(read_only=True, help_text="Integer fen / 分")
        out[name] = YuanField(source=f"{name}_fen", help_text="Yuan as a decimal string / 元")
    return out


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    role = serializers.CharField()


class CreditorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class PortfolioRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ContactPointSerializer(serializers.Serializer):
    """A phone number, masked; the plaintext only through the debtor's reveal endpoint."""

    id = serializers.IntegerField()
    party = serializers.CharField()
    name = serializers.CharField()
    relation = serializers.CharField()
    value_masked = serializers.CharField()
    consent = serializers.BooleanField()
    is_primary = serializers.BooleanField()
    status = serializers.CharField()
