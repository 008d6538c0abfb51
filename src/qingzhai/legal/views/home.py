"""The legal workspace home (alert counts, the deadlines calendar by month and the next 60 days, the open
proceedings), the navigation badge and the KPI page. All need legal.view; lists hold the visible cases."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from qingzhai.accounts import roles
from qingzhai.core.clock import business_today
from qingzhai.core.i18n import bi
from qingzhai.legal.selectors.kpis import legal_kpis
from qingzhai.legal.selectors.proceedings import alert_counts, deadline_list, proceeding_list
from qingzhai.legal.views.common import deadline_row, kind_text, proceeding_row, state_text
from qingzhai.legal.views.forms import FilterForm
from qingzhai.web.views.common import is_htmx, no_store, page

PER_PAGE = 20
UPCOMING_DAYS = 60
UPCOMING_MAX = 200
WEEKDAYS = (
    ("一", "Mon"),
    ("二", "Tue"),
    ("三", "Wed"),
    ("四", "Thu"),
    ("五", "Fri"),
    ("六", "Sat"),
    ("日", "Sun"),
)


def month_of(raw: str | None, today: date) -> date:
    """The first day of the month `YYYY-MM` asks for; this month when absent or unreadable."""
    try:
        year, month = (int(part) for part in str(raw or "").split("-"))
        if 1900 <= year <= 2199 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def shift_month(first: date, step: int) -> date:
    index = first.year * 12 + first.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


def calendar_context(user: Any, first: date, today: date) -> dict[str, Any]:
    """A month grid, Monday first, with each open deadline on its day (one query)."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for row in deadline_list(user=user, start=weeks[0][0], end=weeks[-1][-1]):
        by_day[row.due_on].append(deadline_row(row, today))
    grid = [
        [
            {"day": day, "in_month": day.month == first.month, "today": day == today, "items": by_day[day]}
            for day in week
        ]
        for week in weeks
    ]
    return {
        "month": first,
        "month_label": bi(
            "{y} 年 {m} 月", "{name} {y}", y=first.year, m=first.month, name=first.strftime("%B")
        ),
        "weeks": grid,
        "weekdays": [bi(zh, en) for zh, en in WEEKDAYS],
        "prev_month": shift_month(first, -1).strftime("%Y-%m"),
        "next_month": shift_month(first, 1).strftime("%Y-%m"),
        "this_month": today.strftime("%Y-%m"),
        "month_count": sum(len(items) for items in by_day.values()),
    }


@page(roles.LEGAL_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = business_today()
    first = month_of(request.GET.get("month"), today)
    if is_htmx(request) and request.headers.get("HX-Target") == "calendar":
        response = render(request, "legal/_calendar.html", calendar_context(user, first, today))
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response
    filters = FilterForm(request.GET)
    kind = state = ""
    if filters.is_valid():
        kind, state = filters.cleaned_data["kind"], filters.cleaned_data["state"]
    page_obj = Paginator(
        proceeding_list(user=user, kind=kind, state=state, open_only=True), PER_PAGE
    ).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page_obj": page_obj,
        "rows": [proceeding_row(p) for p in page_obj],
        "filters": filters,
        "filtered": bool(kind or state),
    }
    if is_htmx(request):
        response = render(request, "legal/_proceedings.html", context)
    else:
        upcoming = deadline_list(user=user, end=today + timedelta(days=UPCOMING_DAYS))[:UPCOMING_MAX]
        context.update(
            {
                "alerts": alert_counts(user=user),
                "upcoming": [deadline_row(d, today) for d in upcoming],
                "upcoming_days": UPCOMING_DAYS,
                "today": today,
                **calendar_context(user, first, today),
            }
        )
        response = render(request, "legal/home.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@page(roles.LEGAL_VIEW)
def badge(request: HttpRequest) -> HttpResponse:
    """The navigation badge: open deadlines overdue or due today (htmx loads it after the page)."""
    counts = alert_counts(user=request.user)
    urgent = counts["overdue"] + counts["due"]
    return no_store(render(request, "legal/_badge.html", {"urgent": urgent, "counts": counts}))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _days(value: float | None) -> str:
    return "—" if value is None else bi("{d} 天", "{d} days", d=f"{value:g}")


@page(roles.LEGAL_VIEW)
def kpis(request: HttpRequest) -> HttpResponse:
    data = legal_kpis(user=request.user)
    bands = [
        {
            **band,
            "label": bi(band["band_zh"], band["band_en"]),
            "success_text": _pct(band["success_rate"]),
            "issue_text": _days(band["median_days_to_issue"]),
            "recovery_text": _days(band["median_days_to_recovery"]),
        }
        for band in data["bands"]
    ]
    chart = {
        "bands": [b["label"] for b in bands],
        "counts": [b["payment_orders"] for b in bands],
        "success": [None if b["success_rate"] is None else round(b["success_rate"] * 100, 1) for b in bands],
        "labels": {
            "count": bi("支付令数量", "Payment orders"),
            "success": bi("成功率 %", "Success rate %"),
        },
    }
    context = {
        "k": data,
        "bands": bands,
        "chart": chart,
        "po_rate": _pct(data["payment_order"]["success_rate"]),
        "enf_rate": _pct(data["enforcement"]["recovery_rate"]),
        "mediation_share": _pct(data["mediation"]["share"]),
        "empty": data["proceedings"] == 0,
    }
    return render(request, "legal/kpis.html", context)


__all__ = ["badge", "home", "kind_text", "kpis", "state_text"]
