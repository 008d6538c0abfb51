"""The gate's decisions: the denied-contact log with filters, and one decision with what it was based on and
its re-explanation under the pack version in force then."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qingzhai.accounts import roles
from qingzhai.compliance.forms import DecisionFilterForm
from qingzhai.compliance.models import ContactDecision
from qingzhai.compliance.policies.packs import PolicyError
from qingzhai.compliance.selectors import decision_get, decision_queryset
from qingzhai.compliance.services import decision_explain
from qingzhai.compliance.services.contacts import hit_dict
from qingzhai.core.i18n import bi
from qingzhai.web.views.common import is_htmx, page, render_listing

PAGE_SIZE = 50
RESULTS = {"denied": False, "allowed": True, "all": None}


@page(roles.COMPLIANCE_VIEW)
def decision_list(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    page_number = params.pop("page", [None])[-1]
    form = DecisionFilterForm(params or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        qs = ContactDecision.objects.none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        qs = decision_queryset(user=request.user, allowed=RESULTS[data.get("result") or "denied"])
        if data.get("channel"):
            qs = qs.filter(channel=data["channel"])
        if form.is_bound:
            start, end = form.bounds()
            if start:
                qs = qs.filter(decided_at__gte=start)
            if end:
                qs = qs.filter(decided_at__lt=end)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(page_number)
    context = {"form": form, "page_obj": page_obj, "decisions": list(page_obj.object_list)}
    return render_listing(
        request, "compliance/decisions/list.html", "compliance/decisions/_results.html", context, status
    )


def explanation(decision: ContactDecision) -> dict[str, Any]:
    """The decision evaluated again from its stored inputs, and whether it says the same as then."""
    try:
        again = decision_explain(decision)
    except PolicyError as exc:
        return {"error": bi(exc.zh, exc.en)}
    except (KeyError, TypeError, ValueError):
        return {
            "error": bi(
                "存储的检查输入无法读取，不能重新解释",
                "The stored inputs cannot be read; it cannot be re-explained",
            )
        }
    hits = [hit_dict(h) for h in again.hits]
    stored = [(h["rule"], h["effect"]) for h in decision.hits]
    now = [(h["rule"], h["effect"]) for h in hits]
    return {
        "allowed": again.allowed,
        "pack_version": again.pack_version,
        "hits": hits,
        "requirements": list(again.requirements),
        "route": again.route or "",
        "same": again.allowed == decision.allowed
        and stored == now
        and again.pack_version == decision.pack_version,
        "only_then": sorted(set(stored) - set(now)),
        "only_now": sorted(set(now) - set(stored)),
    }


def _detail_context(decision: ContactDecision, explain: bool) -> dict[str, Any]:
    basis = decision.basis or {}
    return {
        "decision": decision,
        "request_data": basis.get("request", {}),
        "facts": basis.get("facts", {}),
        "overrides": basis.get("overrides", {}),
        "history": basis.get("history", []),
        "explained": explanation(decision) if explain else None,
    }


@page(roles.COMPLIANCE_VIEW)
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = decision_get(user=request.user, decision_id=pk)
    context = _detail_context(decision, explain=request.GET.get("explain") == "1")
    return render(request, "compliance/decisions/detail.html", context)


@page(roles.COMPLIANCE_VIEW)
def decision_reexplain(request: HttpRequest, pk: int) -> HttpResponse:
    """The re-explanation alone for htmx; the detail page with it otherwise."""
    decision = decision_get(user=request.user, decision_id=pk)
    context = _detail_context(decision, explain=True)
    template = (
        "compliance/decisions/_explain.html" if is_htmx(request) else "compliance/decisions/detail.html"
    )
    return render(request, template, context)
