"""The collector's case queue: filter, search, sort, paginate; a fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from qingzhai.core.clock import business_today
from qingzhai.core.i18n import bi
from qingzhai.core.money import format_fen
from qingzhai.portfolio.models import Case, ContactPoint, PromiseToPay
from qingzhai.portfolio.selectors import QueueFilters, case_queue, creditor_queryset_for_user
from qingzhai.web.forms import QueueFilterForm
from qingzhai.web.templatetags.qz import stage_label
from qingzhai.web.views.common import page, render_listing

PAGE_SIZE = 50
# (flag, badge class, label) in the order the queue shows them.
MARKS = (
    ("broken_promise", "broken", ("承诺违约", "Broken promise")),
    ("promise_due", "due", ("承诺今日到期", "Promise due")),
    ("callback_today", "callback", ("今日回访", "Callback today")),
    ("overdue", "overdue", ("行动逾期", "Action overdue")),
)
# A broken promise keeps its mark in the queue for this many days after its date.
BROKEN_PROMISE_DAYS = 30


def paginate(number: str | None, qs: QuerySet[Case]) -> Page:
    return Paginator(qs, PAGE_SIZE).get_page(number)


def annotate_rows(cases: list[Case], today: date) -> list[dict[str, Any]]:
    """Each case with its primary phone (masked) and its marks: callback due, overdue, promises.

    Two queries whatever the number of rows."""
    ids = [c.pk for c in cases]
    phones: dict[int, str] = {}
    for debtor_id, masked in (
        ContactPoint.objects.filter(debtor_id__in={c.debtor_id for c in cases})
        .order_by("-is_primary", "id")
        .values_list("debtor_id", "value_masked")
    ):
        phones.setdefault(debtor_id, masked)
    marks: dict[int, set[str]] = defaultdict(set)
    promise_rows = (
        PromiseToPay.objects.filter(case_id__in=ids)
        .filter(
            Q(status=PromiseToPay.Status.BROKEN, due_date__gte=today - timedelta(days=BROKEN_PROMISE_DAYS))
            | Q(status=PromiseToPay.Status.OPEN, due_date__lte=today)
        )
        .values_list("case_id", "status")
    )
    for case_id, status in promise_rows:
        marks[case_id].add("broken_promise" if status == PromiseToPay.Status.BROKEN else "promise_due")
    rows = []
    for case in cases:
        flags = marks[case.pk]
        if case.next_action_date is not None and case.stage != "closed":
            if case.next_action_date == today:
                flags.add("callback_today")
            elif case.next_action_date < today:
                flags.add("overdue")
        assignee = case.assigned_to
        rows.append(
            {
                "case": case,
                "flags": flags,
                "badges": [(css, bi(*text)) for flag, css, text in MARKS if flag in flags],
                "url": reverse("web:case", args=[case.pk]),
                "phone": phones.get(case.debtor_id, ""),
                "balance": format_fen(case.total_balance_fen),
                "stage": stage_label(case.stage),
                "next_action": case.next_action_date.isoformat() if case.next_action_date else "—",
                "assignee": assignee.label if assignee else "",
            }
        )
    return rows


@page()
def queue(request: HttpRequest) -> HttpResponse:
    today = business_today()
    creditors = list(creditor_queryset_for_user(request.user).only("id", "name").order_by("name"))
    params = request.GET.copy()
    params.pop("page", None)
    form = QueueFilterForm(params or None, creditors=creditors)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        filters = None
    else:
        filters = form.filters(today) if form.is_bound else QueueFilters()
    if filters is None:
        qs = Case.objects.none()
        sort = "next_action"
    else:
        qs = case_queue(user=request.user, filters=filters)
        sort = filters.sort
    page_obj = paginate(request.GET.get("page"), qs)
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": annotate_rows(list(page_obj.object_list), today),
        "today": today,
        "unassigned_label": bi("未分配", "Unassigned"),
        "sort": sort,
        "filtered": bool(params),
    }
    return render_listing(request, "web/queue/queue.html", "web/queue/_results.html", context, status)
