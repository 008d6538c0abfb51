"""Portfolio imports: upload a file (202 with the job), follow its progress and errors, confirm it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.core.api_views import UPLOAD_ERRORS
from qingzhai.core.i18n import bi
from qingzhai.portfolio import selectors
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    CreditorRefSerializer,
    DateInputField,
    IdField,
    PortfolioRefSerializer,
    UserRefSerializer,
    YuanField,
    api_write,
    body,
    get_visible,
    query,
)
from qingzhai.portfolio.intake import import_job_confirm, import_job_create
from qingzhai.portfolio.models import ImportJob

TAGS = ["imports"]
FIRST_ERRORS = 50


class ImportErrorOut(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class ProgressOut(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="0–100")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _message(err: dict[str, Any]) -> str:
    """Stored errors keep both languages; answer in the request's."""
    if "message_zh" in err or "message_en" in err:
        zh = _text(err.get("message_zh"))
        return bi(zh, _text(err.get("message_en")) or zh)
    return _text(err.get("message"))


def _row(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class PreviewRowOut(serializers.Serializer):
    """One row of the validation preview; personal data masked by the intake."""

    row = serializers.IntegerField()
    contract_no = serializers.CharField()
    debtor_name = serializers.CharField()
    debtor_kind = serializers.CharField()
    id_number_masked = serializers.CharField(source="id_number")
    mobile_masked = serializers.CharField(source="mobile")
    product = serializers.CharField()
    principal_fen = serializers.IntegerField(allow_null=True)
    principal = YuanField(source="principal_fen", allow_null=True)
    balance_fen = serializers.IntegerField(allow_null=True)
    balance = YuanField(source="balance_fen", allow_null=True)
    overdue_since = serializers.CharField()
    errors = serializers.IntegerField(help_text="Errors found in this row")  # type: ignore[assignment]


class ImportJobOut(serializers.Serializer):
    id = serializers.IntegerField()
    creditor = CreditorRefSerializer()
    portfolio = PortfolioRefSerializer(allow_null=True)
    original_name = serializers.CharField()
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    rows = serializers.IntegerField()
    imported = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors = serializers.SerializerMethodField()  # type: ignore[assignment]
    progress = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField(help_text="The first rows as read, personal data masked")
    failure = serializers.CharField()
    uploaded_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(ImportErrorOut(many=True))
    def get_errors(self, job: ImportJob) -> list[dict[str, Any]]:
        """The first errors, per row and column."""
        out = []
        for err in (job.errors or [])[:FIRST_ERRORS]:
            if not isinstance(err, dict):
                err = {"message": err}
            out.append(
                {
                    "row": _row(err.get("row")),
                    "column": _text(err.get("column")),
                    "code": _text(err.get("code")),
                    "message": _message(err),
                }
            )
        return out

    @extend_schema_field(PreviewRowOut(many=True))
    def get_preview(self, job: ImportJob) -> list[Any]:
        rows = [row for row in (job.preview or []) if isinstance(row, dict)]
        return list(PreviewRowOut(rows, many=True).data)

    @extend_schema_field(ProgressOut)
    def get_progress(self, job: ImportJob) -> dict[str, int]:
        total, done = job.progress_total, job.progress_done
        percent = min(100, done * 100 // total) if total > 0 else (100 if job.status == "done" else 0)
        return {"done": done, "total": total, "percent": percent}


class ImportIn(serializers.Serializer):
    creditor_id = IdField()
    file = serializers.FileField(help_text="CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX")
    portfolio_code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    placement_date = DateInputField(required=False, allow_null=True, default=None)
    skip_invalid = serializers.BooleanField(required=False, default=False)


class ImportListQuery(serializers.Serializer):
    creditor = IdField(required=False)
    status = serializers.ChoiceField(choices=ImportJob.Status.choices, required=False)


def imports_for(user: object) -> QuerySet[ImportJob]:
    return selectors.import_queryset_for_user(user).order_by("-id")


class ImportListView(ApiView):
    capabilities = {"GET": (roles.IMPORT, roles.VIEW_AUDIT), "POST": roles.IMPORT}
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="imports_list",
        tags=TAGS,
        summary="Import jobs, newest first (intake.import or audit.view)",
        parameters=[ImportListQuery],
        responses={200: ImportJobOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(ImportListQuery, request)
        qs = imports_for(request.user)
        if params.get("creditor"):
            qs = qs.filter(creditor_id=params["creditor"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return self.paginated(qs, ImportJobOut)

    @extend_schema(
        operation_id="imports_create",
        tags=TAGS,
        summary="Upload a portfolio file; it is validated in the background (intake.import)",
        request={"multipart/form-data": ImportIn},
        responses={202: ImportJobOut, **UPLOAD_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(ImportIn, request)
        creditor = get_visible(selectors.creditor_queryset_for_user(request.user), data["creditor_id"])
        upload = data["file"]
        options: dict[str, Any] = {"skip_invalid": data["skip_invalid"]}
        if data["portfolio_code"]:
            options["portfolio_code"] = data["portfolio_code"]
        if data["placement_date"]:
            options["placement_date"] = data["placement_date"].isoformat()
        with api_write():
            job = import_job_create(
                actor=request.user, creditor=creditor, fileobj=upload, filename=upload.name, options=options
            )
        out = imports_for(request.user).get(pk=job.pk)
        return Response(ImportJobOut(out).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailView(ApiView):
    capabilities = {"GET": (roles.IMPORT, roles.VIEW_AUDIT)}

    @extend_schema(
        operation_id="imports_retrieve",
        tags=TAGS,
        summary="One import job: status, counts, progress and the first errors",
        responses={200: ImportJobOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ImportJobOut(get_visible(imports_for(request.user), pk)).data)


class ImportConfirmView(ApiView):
    capabilities = {"POST": roles.IMPORT}

    @extend_schema(
        operation_id="imports_confirm",
        tags=TAGS,
        summary="Confirm a validated import; the rows are imported in the background (intake.import)",
        request=None,
        responses={202: ImportJobOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        get_visible(imports_for(request.user), pk)
        with api_write():
            job = import_job_confirm(actor=request.user, job_id=pk)
        out = imports_for(request.user).get(pk=job.pk)
        return Response(ImportJobOut(out).data, status=status.HTTP_202_ACCEPTED)
