"""The debtor profile pages: the profile itself, uploading a source with its progress, a source's rows
(where flags' evidence links land), legal hold, and the profile as a PDF for the legal file."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.core import audit
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.profiling import presenters, profile, selectors, services
from qingzhai.profiling.purposes import BASES, PURPOSES
from qingzhai.web.views.common import is_htmx, no_store, page, see_other

ROWS_PER_PAGE = 100


def _sources_context(request: HttpRequest, debtor: Any) -> dict[str, Any]:
    page_obj = Paginator(selectors.sources_for(debtor), 20).get_page(request.GET.get("sources_page"))
    return {
        "debtor": debtor,
        "sources_page": page_obj,
        "can_ingest": request.user.can(roles.PROFILE_INGEST),  # type: ignore[union-attr]
        "can_manage": request.user.can(roles.PROFILE_MANAGE),  # type: ignore[union-attr]
        "source_choices": presenters.source_choices(),
        "bases": [(k, bi(*v)) for k, v in BASES.items()],
        "purposes": [(k, bi(*v)) for k, v in PURPOSES.items()],
    }


@page(roles.PROFILE_VIEW)
def profile_page(request: HttpRequest, pk: int) -> HttpResponse:
    debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk)
    built = profile.build(debtor.pk)
    context = {**presenters.page_context(built), **_sources_context(request, debtor), "form_error": None}
    return no_store(render(request, "profiling/profile.html", context))


@require_POST
@page(roles.PROFILE_INGEST)
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk, capability=roles.PROFILE_INGEST)
    upload_file = request.FILES.get("file")
    mapping_file = request.FILES.get("mapping")
    source = (request.POST.get("source") or "").strip()
    try:
        if upload_file is None:
            raise DomainError(
                "profile_file_missing",
                "请选择要上传的文件",
                "Choose a file to upload",
                fields={"file": ["required"]},
            )
        with audit.source("web"):
            services.source_upload(
                debtor=debtor,
                actor=request.user,
                data=upload_file.read(),
                filename=upload_file.name or "upload",
                source=source,
                basis=request.POST.get("basis") or "",
                purposes=request.POST.getlist("purposes") or None,
                reference=request.POST.get("reference") or "",
                mapping=mapping_file.read() if mapping_file is not None else None,
            )
    except DomainError as exc:
        context = {**_sources_context(request, debtor), "form_error": exc}
        if is_htmx(request):
            return render(request, "profiling/_sources.html", context, status=400)
        built = profile.build(debtor.pk)
        return no_store(
            render(
                request, "profiling/profile.html", {**presenters.page_context(built), **context}, status=400
            )
        )
    return see_other(reverse("profiling:profile", args=[debtor.pk]) + "#sources")


@page(roles.PROFILE_VIEW)
def source_status(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    """One source's line in the sources table; htmx polls it while the source is being read."""
    debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk)
    sf = selectors.source_get(debtor=debtor, source_id=sid)
    can_manage = request.user.can(roles.PROFILE_MANAGE)  # type: ignore[union-attr]
    return render(
        request, "profiling/_source_row.html", {"debtor": debtor, "s": sf, "can_manage": can_manage}
    )


@page(roles.PROFILE_VIEW)
def source_rows(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk)
    sf = selectors.source_get(debtor=debtor, source_id=sid)
    rows = sf.txns.order_by("row") if sf.kind == "txns" else sf.records.order_by("row")
    focus = request.GET.get("row")
    page_number = request.GET.get("page")
    if focus and focus.isdigit() and not page_number:
        before = rows.filter(row__lt=int(focus)).count()
        page_number = str(before // ROWS_PER_PAGE + 1)
    page_obj = Paginator(rows, ROWS_PER_PAGE).get_page(page_number)
    context = {
        "debtor": debtor,
        "s": sf,
        "page_obj": page_obj,
        "focus": int(focus) if focus and focus.isdigit() else None,
    }
    return no_store(render(request, "profiling/source_rows.html", context))


@require_POST
@page(roles.PROFILE_MANAGE)
def legal_hold(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk, capability=roles.PROFILE_MANAGE)
    sf = selectors.source_get(debtor=debtor, source_id=sid)
    with audit.source("web"):
        sf = services.legal_hold_set(
            source_file=sf,
            actor=request.user,
            hold=request.POST.get("hold") == "1",
            reason=request.POST.get("reason") or "",
        )
    if is_htmx(request):
        return render(request, "profiling/_source_row.html", {"debtor": debtor, "s": sf, "can_manage": True})
    return see_other(reverse("profiling:profile", args=[debtor.pk]) + "#sources")


@page(roles.PROFILE_VIEW)
def profile_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    debtor = selectors.debtor_get_for_user(user=request.user, debtor_id=pk)
    built = profile.build(debtor.pk)
    from qingzhai.profiling.pdf import render_pdf

    data = render_pdf(request, debtor, built)
    with audit.source("web"):
        from django.db import transaction

        with transaction.atomic():
            audit.record(actor=request.user, action="profiling.pdf_export", entity=debtor)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="profile-{debtor.pk}-{built.as_of.isoformat()}.pdf"'
    )
    return no_store(response)
