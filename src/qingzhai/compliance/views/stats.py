"""Violation rates: violating sentences per 1,000 collector sentences, in total and per collector, with the
alerts they raised."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qingzhai.accounts import roles
from qingzhai.compliance.forms import PERIODS, StatsForm
from qingzhai.compliance.selectors import alert_queryset, collector_stats
from qingzhai.core.clock import now
from qingzhai.web.views.common import page

STATUS_ORDER = ("open", "acknowledged", "coached", "escalated", "closed")


@page(roles.COMPLIANCE_VIEW)
def stats(request: HttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or None)
    status = 200
    days = None
    if form.is_bound:
        if form.is_valid():
            days = PERIODS.get(form.cleaned_data.get("days") or "")
        else:
            status = 400
    since = now() - timedelta(days=days) if days else None
    total, per_collector = collector_stats(user=request.user, since=since)
    alerts = alert_queryset(user=request.user)
    if since is not None:
        alerts = alerts.filter(created_at__gte=since)
    counts = dict(alerts.order_by().values_list("status").annotate(n=Count("id")))
    context = {
        "form": form,
        "days": days,
        "total": total,
        "rows": per_collector,
        "alert_counts": [(s, counts.get(s, 0)) for s in STATUS_ORDER],
        "alert_total": sum(counts.values()),
    }
    return render(request, "compliance/stats/stats.html", context, status=status)
