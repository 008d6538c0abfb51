"""The alert queue of supervisors and compliance: newest first, live (new alerts are polled every 2 s and
added on top without a reload), and one alert with its history and the actions on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.compliance.forms import AlertActForm, AlertFilterForm
from qingzhai.compliance.labels import label
from qingzhai.compliance.models import Alert
from qingzhai.compliance.selectors import alert_get, alert_queryset
from qingzhai.compliance.services import alert_act
from qingzhai.compliance.services.screening import ALERT_FLOW
from qingzhai.core import audit
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.web.forms import add_domain_error
from qingzhai.web.views.common import error_response, page, render_listing, see_other

PAGE_SIZE = 50
FEED_LIMIT = 50
POLL_SECONDS = 2


def _filter(request: HttpRequest) -> tuple[AlertFilterForm, str, int]:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("since_id", None)
    form = AlertFilterForm(params or None)
    status = 200 if not form.is_bound or form.is_valid() else 400
    return form, form.wanted_status(), status


@page(roles.COMPLIANCE_VIEW)
def alert_list(request: HttpRequest) -> HttpResponse:
    form, wanted, status = _filter(request)
    qs = alert_queryset(user=request.user, status=wanted)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    since_id = qs.order_by().aggregate(top=Max("pk"))["top"] or 0
    context = {
        "form": form,
        "page_obj": page_obj,
        "alerts": list(page_obj.object_list),
        "live": page_obj.number == 1,
        "since_id": since_id,
        "status_param": form.cleaned_data.get("status", "") if form.is_bound and form.is_valid() else "",
        "poll_seconds": POLL_SECONDS,
    }
    return render_listing(
        request, "compliance/alerts/list.html", "compliance/alerts/_results.html", context, status
    )


@page(roles.COMPLIANCE_VIEW)
def alert_feed(request: HttpRequest) -> HttpResponse:
    """Alerts newer than `since_id`, newest first, with the poller that asks for the next ones; 204 when
    there is nothing new (the page keeps polling)."""
    _, wanted, status = _filter(request)
    try:
        since_id = int(request.GET.get("since_id") or 0)
    except ValueError:
        since_id = -1
    if status != 200 or since_id < 0:
        return error_response(request, 400, bi("参数有误", "Bad parameters"))
    fresh = list(alert_queryset(user=request.user, status=wanted, since_id=since_id)[:FEED_LIMIT])
    if not fresh:
        return HttpResponse(status=204)
    context = {
        "alerts": fresh,
        "since_id": max(a.pk for a in fresh),
        "status_param": request.GET.get("status", ""),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "compliance/alerts/_feed.html", context)


def _detail_context(request: HttpRequest, alert: Alert, form: AlertActForm | None = None) -> dict[str, Any]:
    user: Any = request.user
    return {
        "alert": alert,
        "actions": list(alert.actions.all()),
        "can_act": user.can(roles.COMPLIANCE_ALERTS),
        "next_actions": [
            (action, label("alert_action", action))
            for action, (sources, _) in ALERT_FLOW.items()
            if alert.status in sources
        ],
        "form": form or AlertActForm(),
    }


@page(roles.COMPLIANCE_VIEW)
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_get(user=request.user, alert_id=pk)
    return render(request, "compliance/alerts/detail.html", _detail_context(request, alert))


@require_POST
@page(roles.COMPLIANCE_ALERTS)
def alert_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_get(user=request.user, alert_id=pk)
    form = AlertActForm(request.POST)
    status = 400
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            with audit.source("web"):
                alert_act(
                    actor=request.user, alert_id=alert.pk, action=action, note=form.cleaned_data["note"]
                )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(
                request,
                bi("告警 #{n}：{a}", "Alert #{n}: {a}", n=alert.pk, a=label("alert_action", action)),
            )
            return see_other(reverse("compliance:alert", args=[alert.pk]))
        alert = alert_get(user=request.user, alert_id=pk)
    return render(
        request, "compliance/alerts/detail.html", _detail_context(request, alert, form), status=status
    )
