"""The base every API view builds on: the error schema for the OpenAPI document, the capability
check, the body reader that turns oversize or malformed bodies into 4xx answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers
from rest_framework.exceptions import ParseError
from rest_framework.generics import GenericAPIView
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.core.api import Pagination
from qingzhai.core.errors import DomainError

# --- the error shape, for the schema ---------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. not_found, invalid")
    message = serializers.CharField(help_text="Message in the request's language (Chinese by default)")
    # DRF takes declared fields off the class, so `fields` does not shadow Serializer.fields at run time.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per-field messages; empty when the error is not about one field",
    )


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


ERR_400 = _error("Invalid input / 输入有误")
ERR_401 = _error("Not authenticated / 未登录")
ERR_403 = _error("Not allowed for this role / 角色无此权限")
ERR_404 = _error("Not found, or not visible to this user / 不存在或无权查看")
ERR_409 = _error("Conflicts with the current state / 与当前状态冲突")
ERR_413 = _error("Request body too large / 请求体过大")
ERR_415 = _error("Body not in a supported content type (e.g. malformed multipart) / 不支持的内容类型")
ERR_429 = _error("Too many requests, or locked out after failed logins / 请求过于频繁或已锁定")

DETAIL_ERRORS = {401: ERR_401, 403: ERR_403, 404: ERR_404}
LIST_ERRORS = {400: ERR_400, 401: ERR_401, 403: ERR_403, 404: ERR_404}
WRITE_ERRORS = {400: ERR_400, 401: ERR_401, 403: ERR_403, 404: ERR_404, 409: ERR_409, 413: ERR_413}
UPLOAD_ERRORS = {**WRITE_ERRORS, 415: ERR_415}  # multipart endpoints: a malformed body is 415


def request_data(request: Request) -> Any:
    """The parsed body; a body Django refuses to read (too many fields, too large) is a 4xx like any
    other bad input, in the API's error shape."""
    try:
        return request.data
    except RequestDataTooBig as exc:
        raise DomainError("too_large", "请求体过大", "Request body too large", status=413) from exc
    except SuspiciousOperation as exc:
        raise ParseError() from exc


# --- base view -------------------------------------------------------------------------------------


class HasCapability(permissions.BasePermission):
    """Checks `view.capabilities[method]`: one capability, or a tuple of which any one suffices.

    A role that can never perform the operation gets 403 before its input is read; an object the user
    cannot see is answered with 404 afterwards, by the selectors."""

    def has_permission(self, request: Request, view: Any) -> bool:
        needed = getattr(view, "capabilities", {}).get(request.method)
        if needed is None:
            return True
        options = needed if isinstance(needed, tuple) else (needed,)
        user = request.user
        return any(user.can(cap) for cap in options)  # type: ignore[union-attr]


class BriefMetadata(SimpleMetadata):
    """OPTIONS answers: name, description, media types; the OpenAPI document describes the fields."""

    def determine_actions(self, request: Request, view: Any) -> dict:
        return {}


class ApiView(GenericAPIView):
    """Base of every API endpoint: authenticated, capability-checked, paginated lists."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    pagination_class = Pagination
    metadata_class = BriefMetadata  # type: ignore[assignment]
    capabilities: dict[str, str | tuple[str, ...]] = {}

    def get_authenticate_header(self, request: Request) -> str:
        # Anonymous requests get 401 (not 403), pointing clients at token authentication.
        return "Token"

    def paginated(self, queryset: QuerySet[Any], serializer_class: type[serializers.Serializer]) -> Response:
        page = self.paginate_queryset(queryset)
        assert page is not None
        return self.get_paginated_response(serializer_class(page, many=True).data)
