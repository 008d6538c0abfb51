"""The dishonest-debtor list (失信被执行人名单): which debtors are on it, clearing a wrong match, uploading a new
list file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.compliance.forms import DishonestUploadForm, ReasonForm
from qingzhai.compliance.selectors import dishonest_matches
from qingzhai.compliance.services import dishonest_import, dishonest_match_clear, dishonest_recheck
from qingzhai.core import audit
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.portfolio.selectors import case_queryset_for_user
from qingzhai.web.views.common import page, render_listing, see_other

PAGE_SIZE = 50
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".txt")


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    include_cleared = request.GET.get("cleared") == "1"
    rows = dishonest_matches(user=user, include_cleared=include_cleared)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    case_of: dict[int, int] = {}
    debtor_ids = {r.debtor.pk for r in shown}
    for debtor_id, case_id in (
        case_queryset_for_user(user)
        .filter(debtor_id__in=debtor_ids)
        .order_by("-pk")
        .values_list("debtor_id", "pk")
    ):
        case_of[debtor_id] = case_id
    return {
        "page_obj": page_obj,
        "rows": [{"row": r, "case_id": case_of.get(r.debtor.pk)} for r in shown],
        "include_cleared": include_cleared,
        "can_manage": user.can(roles.COMPLIANCE_MANAGE),
        "upload_form": extra.pop("upload_form", None) or DishonestUploadForm(),
        **extra,
    }


@page(roles.COMPLIANCE_VIEW)
def dishonest_list(request: HttpRequest) -> HttpResponse:
    return render_listing(
        request, "compliance/dishonest/list.html", "compliance/dishonest/_results.html", _context(request)
    )


@require_POST
@page(roles.COMPLIANCE_MANAGE)
def dishonest_upload(request: HttpRequest) -> HttpResponse:
    """Import a list file: all or nothing. Row errors are listed (row, column, message); nothing is written."""
    form = DishonestUploadForm(request.POST, request.FILES)
    status = 400
    result = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name or "upload.csv").name
        suffix = Path(name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            form.add_error("file", bi("请上传 CSV 或 XLSX 文件", "Upload a CSV or XLSX file"))
        else:
            with tempfile.TemporaryDirectory(prefix="qz-dishonest-") as folder:
                path = Path(folder) / f"upload{suffix}"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    with audit.source("web"):
                        result = dishonest_import(actor=request.user, path=path, original_name=name)
                except DomainError as exc:
                    if exc.status == 403:
                        raise
                    form.add_error("file", exc.message)
                    status = exc.status if exc.status != 404 else 400
            if result is not None and not result.errors:
                messages.success(
                    request,
                    bi(
                        "名单已导入：共 {r} 行，新增 {a} 条，已有 {u} 条，新匹配 {m} 个债务人",
                        "List imported: {r} rows, {a} new, {u} already known, {m} new debtor matches",
                        r=result.rows,
                        a=result.added,
                        u=result.unchanged,
                        m=result.matched,
                    ),
                )
                return see_other(reverse("compliance:dishonest"))
    context = _context(request, upload_form=form, import_errors=result.errors if result else [])
    return render(request, "compliance/dishonest/list.html", context, status=status)


@require_POST
@page(roles.COMPLIANCE_MANAGE)
def dishonest_clear(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    error = ""
    status = 400
    if form.is_valid():
        try:
            with audit.source("web"):
                dishonest_match_clear(actor=request.user, match_id=pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            error, status = exc.message, exc.status
        else:
            messages.success(request, bi("已解除匹配", "Match cleared"))
            return see_other(reverse("compliance:dishonest"))
    else:
        error = "；".join(str(e) for e in form.errors.get("reason", []))
    context = _context(request, clear_error={"match_id": pk, "message": error})
    return render(request, "compliance/dishonest/list.html", context, status=status)


@require_POST
@page(roles.COMPLIANCE_MANAGE)
def dishonest_recheck_view(request: HttpRequest) -> HttpResponse:
    """Record every live match not recorded yet (debtors imported after the list), so it can be cleared."""
    with audit.source("web"):
        found = dishonest_recheck(actor=request.user)
    messages.success(request, bi("已登记 {n} 个新匹配", "{n} new matches recorded", n=found))
    return see_other(reverse("compliance:dishonest"))
