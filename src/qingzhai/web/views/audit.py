"""The audit trail for compliance officers, auditors and administrators: who did what, when and why,
including every reveal of personal data."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from qingzhai.accounts import roles
from qingzhai.core.clock import business_tz
from qingzhai.core.models import AuditEvent
from qingzhai.web.forms import AuditFilterForm
from qingzhai.web.views.common import page, render_listing

PAGE_SIZE = 50


def filtered_events(data: dict[str, Any]) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    action = (data.get("action") or "").strip()
    if action:
        # "pii." or "case." selects a whole family of actions; anything else is exact.
        qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(action=action)
    actor = (data.get("actor") or "").strip()
    if actor:
        qs = qs.filter(actor_label=actor)
    entity_type = (data.get("entity_type") or "").strip()
    if entity_type:
        qs = qs.filter(entity_type=entity_type)
    entity_id = (data.get("entity_id") or "").strip()
    if entity_id:
        qs = qs.filter(entity_id=entity_id)
    tz = business_tz()
    if data.get("date_from"):
        qs = qs.filter(occurred_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
    if data.get("date_to"):
        end = datetime.combine(data["date_to"] + timedelta(days=1), time.min, tzinfo=tz)
        qs = qs.filter(occurred_at__lt=end)
    return qs.order_by("-id")


@page(roles.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    page_number = params.pop("page", [None])[-1]
    form = AuditFilterForm(params or None)
    status = 200
    if not form.is_bound:
        qs = filtered_events({})
    elif form.is_valid():
        qs = filtered_events(form.cleaned_data)
    else:
        status = 400
        qs = AuditEvent.objects.none()
    page_obj = Paginator(qs, PAGE_SIZE).get_page(page_number)
    context = {"form": form, "page_obj": page_obj, "events": list(page_obj.object_list)}
    return render_listing(request, "web/audit/audit.html", "web/audit/_results.html", context, status)
