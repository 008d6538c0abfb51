"""Entries of the log for signed-in users: one entry with its leaf, its inclusion proof, a case's entries, and
the case's court bundle. An entry of a case needs evidence.view and access to the case; an entry without a
case (a file, a personal-data reveal) needs evidence.audit."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.evidence import bundles, case_feed, selectors
from qingzhai.evidence.api.common import FirstRenderer, guard_id
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    ERR_401,
    ERR_403,
    ERR_404,
    ERR_409,
    LIST_ERRORS,
    MAX_ID,
    ApiView,
    api_write,
    query,
)

TAGS = ["evidence-entries"]


class ArtifactOut(serializers.Serializer):
    sha256 = serializers.CharField()
    media_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes")


class EntryOut(serializers.Serializer):
    index = serializers.IntegerField()
    leaf_hash = serializers.CharField(help_text="RFC 6962 leaf hash, hex")
    leaf = serializers.CharField(help_text="The exact leaf bytes (canonical JSON, UTF-8) that were hashed")
    record = serializers.DictField(  # type: ignore[assignment]
        help_text="The leaf record: v, type, case, actor, time, subject, artifact, prev"
    )


class EntryRowOut(serializers.Serializer):
    index = serializers.IntegerField()
    type = serializers.CharField(source="kind", help_text="Evidence type, e.g. payment, activity")
    type_zh = serializers.SerializerMethodField()
    type_en = serializers.SerializerMethodField()
    time = serializers.DateTimeField(help_text="When the act took place")
    subject = serializers.CharField(help_text="The recorded row, e.g. portfolio.payment:12")
    artifact = ArtifactOut(allow_null=True, help_text="The stored content; null when none")
    leaf_hash = serializers.SerializerMethodField(help_text="RFC 6962 leaf hash, hex")
    checkpoint_size = serializers.IntegerField(
        source="covered_by",
        allow_null=True,
        help_text="The first signed checkpoint covering it; null: not yet",
    )

    def get_type_zh(self, row: case_feed.Row) -> str:
        return row.label[0]

    def get_type_en(self, row: case_feed.Row) -> str:
        return row.label[1]

    def get_leaf_hash(self, row: case_feed.Row) -> str:
        return row.leaf_hash.hex() if row.leaf_hash else ""


class InclusionQuery(serializers.Serializer):
    size = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="A signed tree size; the latest if absent"
    )


class InclusionOut(serializers.Serializer):
    index = serializers.IntegerField()
    size = serializers.IntegerField()
    leaf_hash = serializers.CharField(help_text="hex")
    proof = serializers.ListField(
        child=serializers.CharField(), help_text="RFC 6962 audit path, base64 hashes"
    )
    checkpoint = serializers.CharField(help_text="The signed checkpoint note of `size`, with cosignatures")


class EntryDetailView(ApiView):
    capabilities = {"GET": roles.EVIDENCE_VIEW}

    @extend_schema(
        operation_id="evidence_entries_retrieve",
        tags=TAGS,
        summary="One log entry: its leaf and record (evidence.view; an entry without a case: evidence.audit)",
        responses={200: EntryOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, index: int) -> Response:
        entry = case_feed.entry_for_user(user=request.user, index=guard_id(index))
        payload = {
            "index": entry.index,
            "leaf_hash": bytes(entry.leaf_hash).hex(),
            "leaf": bytes(entry.data).decode("utf-8"),
            "record": selectors.entry_record(entry),
        }
        return Response(EntryOut(payload).data)


class EntryProofView(ApiView):
    capabilities = {"GET": roles.EVIDENCE_VIEW}

    @extend_schema(
        operation_id="evidence_entries_proof",
        tags=TAGS,
        summary="The inclusion proof of an entry in a signed checkpoint (evidence.view)",
        description="404 `no_checkpoint` for a size never signed, `index_out_of_range` when it does not cover the entry.",
        parameters=[InclusionQuery],
        responses={200: InclusionOut, **LIST_ERRORS},
    )
    def get(self, request: Request, index: int) -> Response:
        entry = case_feed.entry_for_user(user=request.user, index=guard_id(index))
        params = query(InclusionQuery, request)
        return Response(InclusionOut(selectors.inclusion(entry.index, params.get("size")).as_json()).data)


class CaseEntriesView(ApiView):
    capabilities = {"GET": roles.EVIDENCE_VIEW}

    @extend_schema(
        operation_id="evidence_case_entries_list",
        tags=TAGS,
        summary="A case's entries in the log, newest first (evidence.view)",
        responses={200: EntryRowOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        entries = selectors.case_entries(user=request.user, case_id=pk)
        page: list[Any] | None = self.paginate_queryset(entries)
        assert page is not None
        covered = case_feed.covering_sizes(e.index for e in page)
        rows = [case_feed.entry_row(e, covered.get(e.index)) for e in page]
        return self.get_paginated_response(EntryRowOut(rows, many=True).data)


class CaseBundleView(ApiView):
    capabilities = {"GET": roles.EVIDENCE_BUNDLE}
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="evidence_case_bundle",
        tags=TAGS,
        summary="The case's court bundle: a zip of every entry, its file and proof, and the checkpoint (evidence.bundle)",
        description=(
            "Queued entries are sequenced first. 404 `no_evidence` when the case has no entry; 409 "
            "`artifact_missing` when a stored file is gone (run a full verification)."
        ),
        responses={
            (200, "application/zip"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The bundle, as an attachment / 电子证据包"
            ),
            401: ERR_401,
            403: ERR_403,
            404: ERR_404,
            409: ERR_409,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        with api_write():
            data, filename = bundles.bundle_build(actor=request.user, case_id=guard_id(pk))
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
        response["Cache-Control"] = "no-store"
        return response
