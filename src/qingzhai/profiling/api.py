"""Profile API: the indicator catalogue, a debtor's indicators and flags, its sources, and uploading one.

Access: profile.view and the debtor visible to the user (a collector: debtors of assigned cases);
uploading needs profile.ingest. Uploads are read by a job; poll the source for its progress."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.core.api_views import UPLOAD_ERRORS
from qingzhai.portfolio.api.common import DETAIL_ERRORS, LIST_ERRORS, ApiView, api_write, body
from qingzhai.profiling import indicators as ind
from qingzhai.profiling import profile, selectors, services
from qingzhai.profiling.models import SourceFile
from qingzhai.profiling.purposes import BASES, PURPOSES

TAGS = ["profiling"]


class IndicatorDefOut(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    definition_zh = serializers.CharField()
    definition_en = serializers.CharField()
    unit = serializers.CharField()
    window_months = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]
    purpose = serializers.CharField()


class IndicatorsOut(serializers.Serializer):
    debtor_id = serializers.IntegerField()
    as_of = serializers.DateField()
    values = serializers.DictField(help_text="code -> value; null when missing")  # type: ignore[assignment]
    missing = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(), help_text="code -> no_data | not_permitted | undefined"
    )


class FlagOut(serializers.Serializer):
    flag = serializers.CharField()
    severity = serializers.ChoiceField(choices=["low", "medium", "high"])
    title = serializers.JSONField()
    facts = serializers.DictField()  # type: ignore[assignment]
    rule = serializers.JSONField()
    evidence = serializers.ListField(child=serializers.DictField())


class SourceOut(serializers.ModelSerializer):
    class Meta:
        model = SourceFile
        fields = [
            "id",
            "kind",
            "source",
            "layout",
            "original_name",
            "size_bytes",
            "sha256",
            "basis",
            "purposes",
            "basis_reference",
            "status",
            "rows",
            "rows_done",
            "imported",
            "skipped",
            "error_count",
            "errors",
            "failure",
            "period_from",
            "period_to",
            "retain_until",
            "legal_hold",
            "legal_hold_reason",
            "purged_at",
            "created_at",
            "finished_at",
        ]


class SourceIn(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, XLS, XLSX or JSON")
    source = serializers.CharField(  # type: ignore[assignment]
        required=False,
        allow_blank=True,
        default="",
        help_text="Parser key (alipay, wechat, jd, meituan, bank:<format>) or record kind; blank: detect",
    )
    basis = serializers.ChoiceField(choices=list(BASES), help_text="Legal basis of the processing")
    purposes = serializers.ListField(
        child=serializers.ChoiceField(choices=list(PURPOSES)),
        required=False,
        help_text="Purposes covered; required for consent",
    )
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    mapping = serializers.FileField(
        required=False,
        help_text="Column mapping (YAML or JSON) for source bank:generic; see docs/profiling.md",
    )


class CatalogueView(ApiView):
    capabilities = {"GET": roles.PROFILE_VIEW}
    pagination_class = None  # type: ignore[assignment]  # the whole catalogue, one answer

    @extend_schema(
        operation_id="profiling_catalogue",
        tags=TAGS,
        summary="The indicator catalogue (profile.view)",
        responses={200: IndicatorDefOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(IndicatorDefOut([i.describe() for i in ind.catalogue()], many=True).data)


class IndicatorsView(ApiView):
    capabilities = {"GET": roles.PROFILE_VIEW}

    @extend_schema(
        operation_id="profiling_debtor_indicators",
        tags=TAGS,
        summary="A debtor's indicators as of today (profile.view)",
        responses={200: IndicatorsOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk)
        built = profile.build(debtor.pk)
        return Response(
            IndicatorsOut(
                {
                    "debtor_id": debtor.pk,
                    "as_of": built.as_of,
                    "values": built.values,
                    "missing": built.reasons,
                }
            ).data
        )


class FlagsView(ApiView):
    capabilities = {"GET": roles.PROFILE_VIEW}
    pagination_class = None  # type: ignore[assignment]  # a handful of flags, one answer

    @extend_schema(
        operation_id="profiling_debtor_flags",
        tags=TAGS,
        summary="A debtor's risk flags with evidence (profile.view)",
        responses={200: FlagOut(many=True), **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk)
        return Response(FlagOut(profile.build(debtor.pk).flags, many=True).data)


class SourcesView(ApiView):
    capabilities = {"GET": roles.PROFILE_VIEW, "POST": roles.PROFILE_INGEST}
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="profiling_debtor_sources_list",
        tags=TAGS,
        summary="A debtor's sources, newest first (profile.view)",
        responses={200: SourceOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk)
        return self.paginated(selectors.sources_for(debtor), SourceOut)

    @extend_schema(
        operation_id="profiling_debtor_sources_create",
        tags=TAGS,
        summary="Upload a bill, statement or registry file; read by a job (profile.ingest)",
        description="201 with the source (status pending until read); 200 with the earlier source when "
        "the same file was already ingested for the debtor (nothing changes).",
        request={"multipart/form-data": SourceIn},
        responses={201: SourceOut, 200: SourceOut, **UPLOAD_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        debtor = selectors.debtor_get_for_user(
            user=request.user, debtor_id=pk, capability=roles.PROFILE_INGEST
        )
        data = body(SourceIn, request)
        upload = data["file"]
        with api_write():
            result = services.source_upload(
                debtor=debtor,
                actor=request.user,
                data=upload.read(),
                filename=upload.name or "upload",
                source=data["source"],
                basis=data["basis"],
                purposes=data.get("purposes") or None,
                reference=data["reference"],
                mapping=data["mapping"].read() if data.get("mapping") else None,
            )
        sf = SourceFile.objects.get(pk=result.source_file.pk)
        code = status.HTTP_200_OK if result.duplicate else status.HTTP_201_CREATED
        return Response(SourceOut(sf).data, status=code)


class SourceDetailView(ApiView):
    capabilities = {"GET": roles.PROFILE_VIEW}

    @extend_schema(
        operation_id="profiling_debtor_source",
        tags=TAGS,
        summary="One source with its progress and row errors (profile.view)",
        responses={200: SourceOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int, sid: int) -> Response:
        debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk)
        return Response(SourceOut(selectors.source_get(debtor=debtor, source_id=sid)).data)


urlpatterns: list[Any] = [
    path("catalogue/", CatalogueView.as_view(), name="catalogue"),
    path("debtors/<int:pk>/indicators/", IndicatorsView.as_view(), name="indicators"),
    path("debtors/<int:pk>/flags/", FlagsView.as_view(), name="flags"),
    path("debtors/<int:pk>/sources/", SourcesView.as_view(), name="sources"),
    path("debtors/<int:pk>/sources/<int:sid>/", SourceDetailView.as_view(), name="source"),
]
