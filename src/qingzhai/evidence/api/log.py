"""The public face of the log, for witnesses and court-chain connectors (no login; hashes, sizes and
signatures only): the latest and earlier signed checkpoints, consistency proofs, c2sp.org/tlog-tiles hash
tiles, and witness cosignatures (c2sp.org/tlog-cosignature) sent back to the log."""

from __future__ import annotations

import base64

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.core.api_views import request_data
from qingzhai.core.errors import DomainError
from qingzhai.evidence import hash_tiles, selectors, services, tiles
from qingzhai.evidence.api.common import (
    PUBLIC_READ_ERRORS,
    PUBLIC_WRITE_ERRORS,
    PlainTextParser,
    PublicView,
    bytes_response,
    guard_id,
    text_response,
)
from qingzhai.evidence.models import Cosignature
from qingzhai.portfolio.api.common import ERR_404, MAX_ID, api_write, query

TAGS = ["evidence-log"]

NOTE_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.STR,
    description=(
        "The signed checkpoint note (c2sp.org/tlog-checkpoint, c2sp.org/signed-note) with every witness "
        "cosignature received for it (c2sp.org/tlog-cosignature) / 已签名检查点及见证签名"
    ),
)


class ConsistencyQuery(serializers.Serializer):
    old = serializers.IntegerField(min_value=0, max_value=MAX_ID, help_text="The smaller tree size")
    new = serializers.IntegerField(min_value=0, max_value=MAX_ID, help_text="The larger tree size")


class ConsistencyOut(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    proof = serializers.ListField(
        child=serializers.CharField(), help_text="RFC 6962 consistency proof, base64 hashes, leaf side first"
    )


class CosignatureOut(serializers.Serializer):
    witness = serializers.CharField(source="witness.name")
    size = serializers.IntegerField(source="checkpoint_id", help_text="The cosigned checkpoint's tree size")
    signed_at = serializers.DateTimeField(help_text="The time in the cosignature")
    received_at = serializers.DateTimeField()


class CosignaturesOut(serializers.Serializer):
    accepted = CosignatureOut(many=True, help_text="The cosignatures stored by this request")


class CheckpointView(PublicView):
    @extend_schema(
        operation_id="evidence_checkpoint_retrieve",
        tags=TAGS,
        summary="The latest signed checkpoint, with its witness cosignatures (public, text/plain)",
        description="404 `log_empty` before the first checkpoint.",
        responses={(200, "text/plain"): NOTE_RESPONSE, 404: ERR_404},
        auth=[],
    )
    def get(self, request: Request) -> object:
        checkpoint = selectors.checkpoint_for_size(None)
        return text_response(selectors.cosigned_note(checkpoint))


class CheckpointSizeView(PublicView):
    @extend_schema(
        operation_id="evidence_checkpoints_retrieve",
        tags=TAGS,
        summary="The signed checkpoint of a given tree size, with its cosignatures (public, text/plain)",
        description="404 `no_checkpoint` when no checkpoint was signed at that size.",
        responses={(200, "text/plain"): NOTE_RESPONSE, 404: ERR_404},
        auth=[],
    )
    def get(self, request: Request, size: int) -> object:
        checkpoint = selectors.checkpoint_for_size(guard_id(size))
        return text_response(selectors.cosigned_note(checkpoint), cache_seconds=60)


class ConsistencyView(PublicView):
    @extend_schema(
        operation_id="evidence_consistency_retrieve",
        tags=TAGS,
        summary="A consistency proof between two tree sizes (public)",
        description="400 `bad_sizes` unless 0 ≤ old ≤ new ≤ the stored size.",
        parameters=[ConsistencyQuery],
        responses={200: ConsistencyOut, **PUBLIC_READ_ERRORS},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        params = query(ConsistencyQuery, request)
        proof = selectors.consistency(params["old"], params["new"])
        payload = {
            "old": params["old"],
            "new": params["new"],
            "proof": [base64.b64encode(h).decode("ascii") for h in proof],
        }
        return Response(ConsistencyOut(payload).data)


class TileView(PublicView):
    @extend_schema(
        operation_id="evidence_tile_retrieve",
        tags=TAGS,
        summary="A c2sp.org/tlog-tiles hash tile: tile/<L>/<N>[.p/<W>] (public, application/octet-stream)",
        description=(
            "32-byte SHA-256 hashes of the Merkle nodes of level 8·L, nodes 256·N … 256·N+W−1, in the tree "
            "of the latest checkpoint. `N` is written in groups of three digits, all but the last prefixed "
            "with x (1234067 → x001/x234/067); a partial tile of W < 256 hashes ends in .p/W. Full tiles "
            "never change. 404 `no_tile` for a tile the tree does not hold (yet). Entry bundles "
            "(tile/entries/…) are not served: leaves are not public."
        ),
        parameters=[
            OpenApiParameter("level", int, OpenApiParameter.PATH, description="Tile level L, 0–63"),
            OpenApiParameter(
                "rest",
                str,
                OpenApiParameter.PATH,
                description="N as x001/x234/067, then .p/W for a partial tile",
            ),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="W × 32 bytes / W 个哈希"
            ),
            404: ERR_404,
        },
        auth=[],
    )
    def get(self, request: Request, level: int, rest: str) -> object:
        level, index, width = hash_tiles.parse_tile_path(level, rest)
        data = hash_tiles.tile_hashes(level, index, width)
        return bytes_response(data, immutable=width == tiles.TILE_WIDTH)


class CosignaturesView(PublicView):
    parser_classes = [PlainTextParser]

    @extend_schema(
        operation_id="evidence_cosignatures_create",
        tags=TAGS,
        summary="Send a witness cosignature: the checkpoint note carrying the witness's cosignature line(s)",
        description=(
            "The note's text must be exactly one of the log's signed checkpoints; the lines of registered, "
            "active witnesses (c2sp.org/tlog-cosignature, cosignature/v1) are verified and stored, other "
            "lines ignored. No login: a cosignature by a registered witness key is its own authentication. "
            "201 with what was stored; 200 with an empty list when every cosignature was stored before. "
            "400 `malformed_note` / `malformed_checkpoint` / `bad_cosignature` (a registered witness's line "
            "does not verify), 403 `no_known_witness`, 404 `unknown_checkpoint`."
        ),
        request={"text/plain": OpenApiTypes.STR},
        responses={201: CosignaturesOut, 200: CosignaturesOut, **PUBLIC_WRITE_ERRORS},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        raw = request_data(request)
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else ""
        except UnicodeDecodeError as exc:
            raise DomainError(
                "malformed_note", "签名笔记格式无效", "Malformed signed note", fields={"note": ["not UTF-8"]}
            ) from exc
        if not text:
            raise DomainError(
                "malformed_note", "签名笔记格式无效", "Malformed signed note", fields={"note": ["empty"]}
            )
        with api_write():
            accepted = services.cosignatures_add(cosigned_note=text)
        rows = (
            Cosignature.objects.select_related("witness")
            .filter(pk__in=[c.pk for c in accepted])
            .order_by("pk")
        )
        code = status.HTTP_201_CREATED if accepted else status.HTTP_200_OK
        return Response(CosignaturesOut({"accepted": rows}).data, status=code)
