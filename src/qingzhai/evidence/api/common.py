"""Pieces the evidence API views share: the base of the public (no login) views, text and binary answers,
the plain-text body reader for witness cosignatures."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from qingzhai.core.api_views import ERR_400, ERR_404, ERR_413, BriefMetadata, ErrorSerializer
from qingzhai.core.errors import DomainError

MAX_NOTE_BYTES = 64 * 1024
NOTE_TYPE = "text/plain; charset=utf-8"
TILE_TYPE = "application/octet-stream"

ERR_415 = OpenApiResponse(response=ErrorSerializer, description="Not text/plain / 内容类型不是 text/plain")
PUBLIC_READ_ERRORS = {400: ERR_400, 404: ERR_404}
PUBLIC_WRITE_ERRORS = {
    400: ERR_400,
    403: OpenApiResponse(
        response=ErrorSerializer,
        description="No cosignature by a registered witness / 没有已登记见证方的签名",
    ),
    404: ERR_404,
    413: ERR_413,
    415: ERR_415,
}


class FirstRenderer(DefaultContentNegotiation):
    """Answer with the view's first renderer whatever the Accept header asks: the views that use it answer
    text or bytes themselves, and their errors in the API's JSON shape."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


class PlainTextParser(BaseParser):
    """A text/plain body, as bytes (at most MAX_NOTE_BYTES)."""

    media_type = "text/plain"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> bytes:  # type: ignore[override]
        if stream is None:
            return b""
        data = stream.read(MAX_NOTE_BYTES + 1)
        if len(data) > MAX_NOTE_BYTES:
            raise DomainError("too_large", "请求体过大", "Request body too large", status=413)
        return bytes(data)


class PublicView(GenericAPIView):
    """Base of the public log endpoints: no login, no session (so no CSRF), answers witnesses and court-chain
    connectors. They reveal only hashes, sizes and signatures."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    pagination_class = None  # type: ignore[assignment]
    metadata_class = BriefMetadata  # type: ignore[assignment]
    content_negotiation_class = FirstRenderer


def text_response(text: str, *, cache_seconds: int = 0) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=NOTE_TYPE)
    response["Cache-Control"] = f"public, max-age={cache_seconds}" if cache_seconds else "no-cache"
    return response


def bytes_response(data: bytes, *, immutable: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=TILE_TYPE)
    response["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
    return response


def guard_id(value: int) -> int:
    """A path integer beyond the 64-bit columns names nothing: 404 rather than an overflow."""
    if not 0 <= value <= 2**63 - 1:
        raise DomainError("not_found", "记录不存在或无权查看", "Not found, or not visible to you", status=404)
    return value
