"""Portfolio import pages: upload, the job page (progress, preview, errors, confirm, result), past
imports. Thin: the intake services do the work; every failure is a 4xx with a bilingual message."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.core.i18n import bi, bi_lazy
from qingzhai.portfolio.intake import import_job_confirm, import_job_create
from qingzhai.portfolio.models import Creditor, ImportJob
from qingzhai.portfolio.selectors import import_queryset_for_user
from qingzhai.web.views.common import is_htmx, page, see_other

LIST_PAGE_SIZE = 25
ERRORS_PAGE_SIZE = 50
MAPPING_MAX_BYTES = 64 * 1024
RUNNING = (ImportJob.Status.PENDING, ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)
STATUS_LABELS: dict[str, tuple[str, str]] = {
    ImportJob.Status.PENDING: ("排队中", "Queued"),
    ImportJob.Status.VALIDATING: ("校验中", "Validating"),
    ImportJob.Status.VALIDATED: ("已校验，待确认", "Validated, awaiting confirmation"),
    ImportJob.Status.IMPORTING: ("导入中", "Importing"),
    ImportJob.Status.DONE: ("已完成", "Done"),
    ImportJob.Status.FAILED: ("失败", "Failed"),
}


class ImportUploadForm(forms.Form):
    creditor = forms.ModelChoiceField(
        queryset=Creditor.objects.filter(is_active=True).order_by("name"),
        label=bi_lazy("委托方", "Creditor"),
        empty_label=None,
    )
    portfolio_code = forms.CharField(
        required=False,
        max_length=60,
        label=bi_lazy("批次代码", "Portfolio code"),
        help_text=bi_lazy(
            "留空则为「委托方代码-委案日期」，不存在时自动创建",
            "Empty: '<creditor code>-<placement date>'; created when missing",
        ),
    )
    placement_date = forms.DateField(
        required=False,
        label=bi_lazy("委案日期", "Placement date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recall_date = forms.DateField(
        required=False,
        label=bi_lazy("退案日期", "Recall date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(
        label=bi_lazy("文件（CSV 或 XLSX）", "File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    sheet = forms.CharField(
        required=False,
        max_length=100,
        label=bi_lazy("工作表（XLSX，可留空）", "Sheet (XLSX, optional)"),
    )
    mapping = forms.FileField(
        required=False,
        label=bi_lazy("列映射 JSON（可选）", "Column mapping JSON (optional)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json"}),
    )
    skip_invalid = forms.BooleanField(
        required=False, label=bi_lazy("跳过有错误的行", "Skip rows with errors")
    )

    def clean_mapping(self) -> dict[str, Any]:
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return {}
        if upload.size > MAPPING_MAX_BYTES:
            raise forms.ValidationError(bi("列映射文件过大", "The mapping file is too large"))
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise forms.ValidationError(
                bi("列映射文件不是有效的 JSON", "The mapping file is not valid JSON")
            ) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(
                bi('列映射必须是 {"文件表头": "字段名"}', 'The mapping must be {"their header": "our field"}')
            )
        return data


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    job = import_queryset_for_user(request.user).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    return job


def _pick(stored: str) -> str:
    """A message kept as 'Chinese\\nEnglish' in the active language."""
    zh, _, en = (stored or "").partition("\n")
    return bi(zh, en or zh)


def _progress_context(job: ImportJob) -> dict[str, Any]:
    total, done = job.progress_total, min(job.progress_done, job.progress_total or job.progress_done)
    return {
        "job": job,
        "running": job.status in RUNNING,
        "status_label": bi(*STATUS_LABELS.get(job.status, (job.status, job.status))),
        "done": done,
        "total": total,
        "percent": int(done * 100 / total) if total else 0,
    }


@page(roles.IMPORT)
def import_list(request: HttpRequest) -> HttpResponse:
    jobs = import_queryset_for_user(request.user).order_by("-id")
    page_obj = Paginator(jobs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"job": job, "status_label": bi(*STATUS_LABELS.get(job.status, (job.status, job.status)))}
        for job in page_obj.object_list
    ]
    return render(request, "web/imports/list.html", {"page_obj": page_obj, "rows": rows})


@page(roles.IMPORT)
def import_new(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                job = import_job_create(
                    actor=request.user,
                    creditor=data["creditor"],
                    fileobj=upload,
                    filename=upload.name or "upload",
                    options={
                        "portfolio_code": data["portfolio_code"],
                        "placement_date": data["placement_date"],
                        "recall_date": data["recall_date"],
                        "mapping": data["mapping"],
                        "skip_invalid": data["skip_invalid"],
                        "sheet": data["sheet"],
                    },
                )
            except DomainError as exc:
                form.add_error("file" if exc.code in ("too_large", "empty_file") else None, exc.message)
                status = exc.status if exc.status != 404 else 400
            else:
                return see_other(reverse("web:import_detail", args=[job.pk]))
        else:
            status = 400
    else:
        form = ImportUploadForm()
    return render(request, "web/imports/new.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    validation = (job.options or {}).get("validation") or {}
    errors = [
        {
            "row": e.get("row"),
            "column": e.get("column", ""),
            "code": e.get("code", ""),
            "message": bi(
                e.get("message_zh") or e.get("message", ""), e.get("message_en") or e.get("message", "")
            ),
        }
        for e in (job.errors or [])
    ]
    errors_page = Paginator(errors, ERRORS_PAGE_SIZE).get_page(request.GET.get("epage"))
    skip_invalid = bool((job.options or {}).get("skip_invalid"))
    valid_rows = validation.get("valid_rows", job.rows)
    portfolio_label = (
        job.portfolio.code
        if job.portfolio
        else validation.get("portfolio_code") or (job.options or {}).get("portfolio_code") or ""
    )
    return {
        **_progress_context(job),
        "portfolio_label": portfolio_label,
        "validation": validation,
        "preview": job.preview or [],
        "errors_page": errors_page,
        "errors_listed": len(errors),
        "skip_invalid": skip_invalid,
        "failure": _pick(job.failure) if job.failure else "",
        "can_confirm": job.status == ImportJob.Status.VALIDATED
        and (job.error_count == 0 or skip_invalid)
        and bool(valid_rows),
    }


@page(roles.IMPORT)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(request, "web/imports/detail.html", _detail_context(request, job))


@page(roles.IMPORT)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled by htmx every second; once the job stops running the page
    reloads to show the preview, errors or result."""
    job = _job_for(request, pk)
    response = render(request, "web/imports/_progress.html", _progress_context(job))
    if is_htmx(request) and job.status not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@page(roles.IMPORT)
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    try:
        import_job_confirm(actor=request.user, job_id=job.pk)
    except DomainError as exc:
        job.refresh_from_db()
        context = _detail_context(request, job)
        context["confirm_error"] = exc.message
        return render(request, "web/imports/detail.html", context, status=exc.status)
    return see_other(reverse("web:import_detail", args=[job.pk]))
