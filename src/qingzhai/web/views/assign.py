"""Supervisors assign and reassign cases in bulk and see each collector's workload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from qingzhai.accounts import roles
from qingzhai.accounts.models import User
from qingzhai.core import audit
from qingzhai.core.clock import business_today
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.portfolio import services
from qingzhai.portfolio.models import Case
from qingzhai.portfolio.selectors import QueueFilters, case_queue, creditor_queryset_for_user
from qingzhai.portfolio.stages import Stage
from qingzhai.web.forms import AssignFilterForm, AssignForm, add_domain_error
from qingzhai.web.views.common import page, render_listing, see_other
from qingzhai.web.views.queue import annotate_rows, paginate

ASSIGNABLE_ROLES = (roles.Role.COLLECTOR.value, roles.Role.LEGAL.value)


def assignees() -> list[User]:
    """Who may receive cases, with their open workload (one query)."""
    today = business_today()
    open_case = ~Q(assigned_cases__stage=Stage.CLOSED.value) & Q(assigned_cases__isnull=False)
    return list(
        User.objects.filter(role__in=ASSIGNABLE_ROLES, is_active=True)
        .annotate(
            open_cases=Count("assigned_cases", filter=open_case),
            open_balance_fen=Sum("assigned_cases__total_balance_fen", filter=open_case, default=0),
            due_cases=Count(
                "assigned_cases", filter=open_case & Q(assigned_cases__next_action_date__lte=today)
            ),
        )
        .order_by("role", "username")
    )


def _page_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("page_ids") if v.isdigit()]


@page(roles.ASSIGN)
def assign(request: HttpRequest) -> HttpResponse:
    people = assignees()
    today = business_today()
    status = 200
    assign_form: AssignForm | None = None
    if request.method == "POST":
        data: Any = request.POST.copy()
        if data.get("scope") == "page":
            data.setlist("case_ids", [str(i) for i in _page_ids(request)])
        assign_form = AssignForm(data, assignees=people, page_ids=_page_ids(request))
        query = request.POST.get("query", "")
        if assign_form.is_valid():
            try:
                with audit.source("web"):
                    changed = services.cases_assign(
                        actor=request.user,
                        case_ids=assign_form.cleaned_data["case_ids"],
                        assignee=assign_form.assignee_user(),
                        reason=assign_form.cleaned_data["reason"],
                    )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                add_domain_error(assign_form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    bi("已分配 {n} 个案件", "{n} case(s) assigned", n=changed),
                )
                target = reverse("web:assign") + (f"?{query}" if query else "")
                return see_other(target)
        else:
            status = 400
        params: Any = QueryDict(query, mutable=True)
    else:
        params = request.GET.copy()
    page_number = params.pop("page", [None])[-1]
    query_with_page = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    creditors = list(creditor_queryset_for_user(request.user).only("id", "name").order_by("name"))
    filter_form = AssignFilterForm(params or None, creditors=creditors, assignees=people)
    if filter_form.is_bound and not filter_form.is_valid():
        status = 400
        qs = Case.objects.none()
    else:
        filters = filter_form.filters(today) if filter_form.is_bound else QueueFilters()
        qs = case_queue(user=request.user, filters=filters)
    page_obj = paginate(page_number, qs)
    rows = annotate_rows(list(page_obj.object_list), today)
    if assign_form is None:
        assign_form = AssignForm(assignees=people)
    unassigned = Case.objects.filter(assigned_to__isnull=True).exclude(stage=Stage.CLOSED.value).count()
    context = {
        "form": filter_form,
        "assign_form": assign_form,
        "page_obj": page_obj,
        "rows": rows,
        "people": people,
        "unassigned": unassigned,
        "today": today,
        "unassigned_label": bi("未分配", "Unassigned"),
        "query": query_with_page,
        "selected": {str(v) for v in request.POST.getlist("case_ids")},
    }
    if request.method == "POST":
        return render(request, "web/assign/assign.html", context, status=status)
    return render_listing(request, "web/assign/assign.html", "web/assign/_results.html", context, status)
