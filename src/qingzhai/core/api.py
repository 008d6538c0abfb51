"""API plumbing loaded by DRF's settings: the one error shape's handler, pagination. (The base view and
the error schema live in core.api_views, which imports DRF views and so cannot be loaded from here.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi

_CODES = {
    400: ("invalid", "请求数据有误", "The request is invalid"),
    401: ("not_authenticated", "请先登录", "Authentication required"),
    403: ("permission_denied", "没有权限执行此操作", "You do not have permission to do this"),
    404: ("not_found", "记录不存在或无权查看", "Not found, or not visible to you"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    406: ("not_acceptable", "无法提供所请求的格式", "Cannot provide the requested format"),
    409: ("conflict", "与当前状态冲突", "Conflicts with the current state"),
    413: ("too_large", "请求体过大", "Request body too large"),
    415: ("unsupported_media_type", "不支持的内容类型", "Unsupported media type"),
    429: ("throttled", "请求过于频繁，请稍后再试", "Too many requests; try again later"),
}


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list):
                flat: list[str] = []
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        for sub, msgs in _flatten(item).items():
                            out[f"{key}[{i}].{sub}"] = msgs
                    else:
                        flat.append(str(item))
                if flat:
                    out[key] = flat
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(x) for x in detail]}
    return {}


def error_body(
    status_code: int, message: str | None = None, fields: dict | None = None, code: str = ""
) -> dict:
    default_code, zh, en = _CODES.get(status_code, ("error", "请求失败", "Request failed"))
    return {"code": code or default_code, "message": message or bi(zh, en), "fields": fields or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(error_body(400, fields=fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(400, fields=_flatten(exc.detail))
    elif isinstance(exc, exceptions.ParseError):
        body = error_body(
            400, message=bi("请求体无法解析", "The request body could not be parsed"), code="parse_error"
        )
    else:
        body = error_body(code)
    response.data = body
    return response


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            },
            status=status.HTTP_200_OK,
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
