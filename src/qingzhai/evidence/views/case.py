"""Evidence on the case page: the panel's pages (htmx) and the court bundle download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from qingzhai.accounts import roles
from qingzhai.core import audit
from qingzhai.evidence.bundles import bundle_build
from qingzhai.evidence.views.panel import evidence_case_context
from qingzhai.portfolio.selectors import case_get_for_user
from qingzhai.web.views.common import page


@page(roles.EVIDENCE_VIEW)
def case_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence panel alone, at page `page` (the panel's pager asks for it with htmx)."""
    case = case_get_for_user(user=request.user, case_id=pk)
    context = evidence_case_context(request, case, request.GET.get("page"))
    return render(request, "evidence/case/_panel.html", context)


@page(roles.EVIDENCE_BUNDLE)
def case_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's court bundle as a zip download."""
    with audit.source("web"):
        data, filename = bundle_build(actor=request.user, case_id=pk)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"
    return response
