"""The court's dishonest-debtor list (失信被执行人名单): the debtors on it, list imports, clearing a match."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance import selectors, services
from qingzhai.compliance.models import DishonestMatch
from qingzhai.compliance.services.dishonest import MAX_BYTES
from qingzhai.core.api_views import ERR_415
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.core.i18n import bi
from qingzhai.portfolio.api.common import (
    ERR_401,
    ERR_403,
    ERR_404,
    ERR_409,
    ERR_413,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    ErrorSerializer,
    UserRefSerializer,
    api_write,
    body,
    query,
)
from qingzhai.portfolio.selectors import case_queryset_for_user

TAGS = ["compliance-dishonest"]
# How many row errors a failed import answers with (the service stops collecting at 500).
MAX_ROW_ERRORS = 500


class MatchDebtorOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number_masked = serializers.CharField()


class DishonestEntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number_masked = serializers.CharField()
    case_number = serializers.CharField(help_text="The enforcement case number / 执行案号")
    court = serializers.CharField()
    listed_on = serializers.DateField()


class MatchOut(serializers.Serializer):
    """A debtor on the list. `id` is the recorded match (null until the next import or recheck records it);
    only a recorded match can be cleared."""

    id = serializers.IntegerField(allow_null=True, source="match.id", default=None)
    debtor = MatchDebtorOut()
    entry = DishonestEntryOut()
    matched_at = serializers.DateTimeField(allow_null=True, source="match.matched_at", default=None)
    cleared_at = serializers.DateTimeField(allow_null=True, source="match.cleared_at", default=None)
    cleared_by = UserRefSerializer(allow_null=True, source="match.cleared_by", default=None)
    cleared_reason = serializers.CharField(source="match.cleared_reason", default="")


class DishonestMatchListQuery(serializers.Serializer):
    include_cleared = serializers.BooleanField(required=False, default=False)


class DishonestImportIn(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8 or GBK) or XLSX with the court's column headers")


class DishonestRowErrorOut(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row number as a spreadsheet shows it")
    column = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class DishonestImportOut(serializers.Serializer):
    import_id = serializers.IntegerField()
    rows = serializers.IntegerField(help_text="Data rows read")
    added = serializers.IntegerField(help_text="New entries")
    unchanged = serializers.IntegerField(help_text="Entries already on file (same ID number and case number)")
    matched = serializers.IntegerField(help_text="New debtor matches recorded")


class DishonestImportErrorOut(ErrorSerializer):
    """The error shape, with each row error spelled out: nothing is imported while any row is wrong."""

    errors = DishonestRowErrorOut(  # type: ignore[assignment]
        many=True, required=False, help_text="Present when rows are wrong"
    )


class MatchClearIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class MatchListView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_dishonest_matches_list",
        tags=TAGS,
        summary="Debtors of visible cases found on the dishonest-debtor list (compliance.view)",
        parameters=[DishonestMatchListQuery],
        responses={200: MatchOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(DishonestMatchListQuery, request)
        rows = selectors.dishonest_matches(user=request.user, include_cleared=params["include_cleared"])
        page: list[Any] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        assert page is not None
        return self.get_paginated_response(MatchOut(page, many=True).data)


def _store_upload(upload: UploadedFile, folder: str) -> Path:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise DomainError(
            "too_large",
            "文件过大，上限为 {mb} MB",
            "The file is too large; the limit is {mb} MB",
            fields={"file": ["too large"]},
            status=413,
            mb=MAX_BYTES // (1024 * 1024),
        )
    path = Path(folder) / "upload"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


class DishonestImportView(ApiView):
    capabilities = {"POST": roles.COMPLIANCE_MANAGE}
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="compliance_dishonest_imports_create",
        tags=TAGS,
        summary="Import a dishonest-debtor list file; all or nothing (compliance.manage)",
        description=(
            "201 with the counts. With any row error nothing is imported: 400 `import_invalid` with every "
            "row error (row, column, code, message) in `errors`. A file that is not a table, or lacks a "
            "column, is 400 with its own code (`not_a_table`, `missing_columns`, `no_rows` ...)."
        ),
        request={"multipart/form-data": DishonestImportIn},
        responses={
            201: DishonestImportOut,
            400: OpenApiResponse(
                response=DishonestImportErrorOut, description="Invalid file or rows / 文件或数据行有误"
            ),
            401: ERR_401,
            403: ERR_403,
            404: ERR_404,
            409: ERR_409,
            413: ERR_413,
            415: ERR_415,
        },
    )
    def post(self, request: Request) -> Response:
        data = body(DishonestImportIn, request)
        upload = data["file"]
        with tempfile.TemporaryDirectory(prefix="qz-dishonest-") as folder:
            path = _store_upload(upload, folder)
            with api_write():
                result = services.dishonest_import(
                    actor=request.user, path=path, original_name=(upload.name or "")[:255]
                )
        if result.errors:
            errors = [e.as_dict() for e in result.errors[:MAX_ROW_ERRORS]]
            payload: dict[str, Any] = {
                "code": "import_invalid",
                "message": bi(
                    "文件中有 {n} 处错误，未导入任何数据",
                    "The file has {n} errors; nothing was imported",
                    n=len(errors),
                ),
                "fields": {"file": [f"{e['row']} {e['column']}: {e['message']}" for e in errors]},
                "errors": errors,
            }
            return Response(payload, status=status.HTTP_400_BAD_REQUEST)
        assert result.batch is not None
        out = {
            "import_id": result.batch.pk,
            "rows": result.rows,
            "added": result.added,
            "unchanged": result.unchanged,
            "matched": result.matched,
        }
        return Response(DishonestImportOut(out).data, status=status.HTTP_201_CREATED)


class MatchClearView(ApiView):
    capabilities = {"POST": roles.COMPLIANCE_MANAGE}

    @extend_schema(
        operation_id="compliance_dishonest_matches_clear",
        tags=TAGS,
        summary="Clear a match: another person with the same number, or taken off the list (compliance.manage)",
        request=MatchClearIn,
        responses={200: MatchOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        match = _visible_match(request.user, pk)
        data = body(MatchClearIn, request)
        with api_write():
            services.dishonest_match_clear(actor=request.user, match_id=match.pk, reason=data["reason"])
        match = _visible_match(request.user, pk)
        return Response(MatchOut({"match": match, "debtor": match.debtor, "entry": match.entry}).data)


def _visible_match(user: Any, pk: int) -> DishonestMatch:
    """A recorded match whose debtor has a case the user may see, or 404."""
    match = (
        DishonestMatch.objects.select_related("debtor", "entry", "cleared_by")
        .filter(pk=pk, debtor__cases__in=case_queryset_for_user(user))
        .first()
    )
    if match is None:
        raise NotFound()
    return match
