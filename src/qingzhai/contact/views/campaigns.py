"""Campaign pages: the list with the creation form, one campaign with its live progress (htmx polls while
it plans or sends), its results, its controls and its messages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from qingzhai.accounts import roles
from qingzhai.contact.forms import CampaignForm
from qingzhai.contact.models import Campaign, CampaignMessage
from qingzhai.contact.selectors.campaigns import (
    campaign_get,
    campaign_list,
    campaign_progress,
    campaign_results,
)
from qingzhai.contact.services import campaigns as svc
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.core.i18n import bi
from qingzhai.web.views.common import page, see_other

PAGE_SIZE = 25
MESSAGES_PAGE = 50
LIVE = (Campaign.Status.PLANNING, Campaign.Status.RUNNING)
STATUS_LABELS = {
    "draft": ("草稿", "Draft"),
    "planning": ("规划中", "Planning"),
    "planned": ("已规划", "Planned"),
    "running": ("发送中", "Running"),
    "paused": ("已暂停", "Paused"),
    "cancelled": ("已取消", "Cancelled"),
    "completed": ("已完成", "Completed"),
    "failed": ("失败", "Failed"),
    "refused": ("闸门拒绝", "Refused by the gate"),
    "sending": ("发送中", "Sending"),
    "sent": ("已发送", "Sent"),
    "delivered": ("已送达", "Delivered"),
    "denied": ("发送时被拒", "Denied at sending"),
}
ACTIONS = {
    "plan": ("plan_start", ("draft",), ("开始规划", "Plan")),
    "start": ("start", ("planned",), ("开始发送", "Start sending")),
    "pause": ("pause", ("running",), ("暂停", "Pause")),
    "resume": ("resume", ("paused",), ("继续", "Resume")),
    "cancel": ("cancel", ("draft", "planning", "planned", "running", "paused"), ("取消活动", "Cancel")),
}


def status_label(code: str) -> str:
    return bi(*STATUS_LABELS.get(code, (code, code)))


def _rows(campaigns: list[Campaign]) -> list[dict[str, Any]]:
    return [{"c": c, "status": status_label(c.status)} for c in campaigns]


@page(roles.CAMPAIGN_VIEW)
@require_http_methods(["GET", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    can_manage = user.can(roles.CAMPAIGN_MANAGE)
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise AccessDenied()
        if form.is_valid():
            try:
                campaign = svc.campaign_create(
                    actor=user,
                    name=form.cleaned_data["name"],
                    steps=form.steps(),
                    filters=form.filters(),
                    window_hours=form.cleaned_data["window_hours"],
                    per_hour={
                        "sms": form.cleaned_data["sms_per_hour"],
                        "voice": form.cleaned_data["voice_per_hour"],
                    },
                    hotline=form.cleaned_data.get("hotline") or "",
                )
                return see_other(reverse("contact:campaign", args=[campaign.pk]))
            except DomainError as exc:
                form.add_error(None, exc.message)
        status = 400
    listing = Paginator(campaign_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contact/campaigns/list.html",
        {"page_obj": listing, "rows": _rows(list(listing)), "form": form, "can_manage": can_manage},
        status=status,
    )


def _detail_context(request: HttpRequest, campaign: Campaign, *, results: bool = True) -> dict[str, Any]:
    user: Any = request.user
    progress = campaign_progress(campaign)
    counts = progress["counts"]
    return {
        "campaign": campaign,
        "status": status_label(campaign.status),
        "progress": progress,
        "count_rows": [(status_label(s), s, counts[s]) for s in CampaignMessage.Status.values if counts[s]],
        "live": campaign.status in LIVE,
        "results": campaign_results(campaign)
        if results and campaign.status not in ("draft", "planning")
        else None,
        "actions": [
            (name, bi(*label)) for name, (_, allowed, label) in ACTIONS.items() if campaign.status in allowed
        ]
        if user.can(roles.CAMPAIGN_MANAGE)
        else [],
    }


@page(roles.CAMPAIGN_VIEW)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, campaign_id=pk)
    context = _detail_context(request, campaign)
    wanted = request.GET.get("status", "")
    messages = (
        CampaignMessage.objects.filter(campaign=campaign).select_related("contact_point").order_by("id")
    )
    if wanted in CampaignMessage.Status.values:
        messages = messages.filter(status=wanted)
    context["messages_page"] = Paginator(messages, MESSAGES_PAGE).get_page(request.GET.get("page"))
    for message in context["messages_page"].object_list:
        message.status_label = status_label(message.status)  # type: ignore[attr-defined]
    context["message_status"] = wanted
    context["status_choices"] = [(s, status_label(s)) for s in CampaignMessage.Status.values]
    return render(request, "contact/campaigns/detail.html", context)


@page(roles.CAMPAIGN_VIEW)
def campaign_progress_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, campaign_id=pk)
    # the fragment polled every 2 s shows progress only: the results' aggregates are left to the page
    response = render(
        request, "contact/campaigns/_progress.html", _detail_context(request, campaign, results=False)
    )
    if campaign.status not in LIVE:
        response["HX-Trigger"] = "campaign-settled"
    return response


@page(roles.CAMPAIGN_MANAGE)
@require_POST
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = campaign_get(user=request.user, campaign_id=pk)
    if action not in ACTIONS:
        raise DomainError(
            "invalid_choice", "未知操作", "Unknown action", fields={"action": [action]}, status=404
        )
    service = getattr(svc, f"campaign_{ACTIONS[action][0]}")
    extra = {"reason": request.POST.get("reason", "")} if action in ("pause", "cancel") else {}
    service(actor=request.user, campaign_id=campaign.pk, **extra)
    return see_other(reverse("contact:campaign", args=[campaign.pk]))


urlpatterns: list[URLPattern] = [
    path("campaigns/", campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/progress/", campaign_progress_fragment, name="campaign_progress"),
    path("campaigns/<int:pk>/<str:action>/", campaign_action, name="campaign_action"),
]
