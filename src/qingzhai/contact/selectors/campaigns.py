"""Reads of the campaigns: which cases a campaign covers, the values its templates fill in, the list, one
campaign for a user, its progress and its results."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from qingzhai.accounts import roles
from qingzhai.compliance.models import Dispute
from qingzhai.contact.models import Campaign, CampaignMessage
from qingzhai.core.clock import business_today
from qingzhai.core.errors import AccessDenied, NotFound
from qingzhai.core.masking import mask_person_name
from qingzhai.portfolio.models import Case, Payment, PromiseToPay
from qingzhai.portfolio.selectors import case_queryset_for_user

DONE = (
    CampaignMessage.Status.SENT,
    CampaignMessage.Status.DELIVERED,
    CampaignMessage.Status.FAILED,
    CampaignMessage.Status.DENIED,
    CampaignMessage.Status.CANCELLED,
)
REACHED = (CampaignMessage.Status.SENT, CampaignMessage.Status.DELIVERED)


def campaign_cases(campaign: Campaign) -> QuerySet[Case]:
    """The cases the campaign covers: its filters within what its creator may see."""
    f = campaign.filters or {}
    qs = case_queryset_for_user(campaign.created_by).filter(stage__in=f.get("stages") or ["new", "contact"])
    if f.get("creditor_ids"):
        qs = qs.filter(portfolio__creditor_id__in=f["creditor_ids"])
    if f.get("portfolio_ids"):
        qs = qs.filter(portfolio_id__in=f["portfolio_ids"])
    if f.get("buckets"):
        qs = qs.filter(bucket__in=f["buckets"])
    if f.get("min_dpd") is not None:
        qs = qs.filter(max_dpd__gte=f["min_dpd"])
    if f.get("max_dpd") is not None:
        qs = qs.filter(max_dpd__lte=f["max_dpd"])
    if f.get("min_balance_fen") is not None:
        qs = qs.filter(total_balance_fen__gte=f["min_balance_fen"])
    return qs


def masked_name(name: str, kind: str) -> str:
    """How a reminder addresses the debtor: a person by surname and stars (张**), a firm by its name."""
    return (name or "").strip() if kind == "enterprise" else mask_person_name(name)


def case_values(campaign: Campaign, cases: list[Case]) -> dict[int, dict[str, Any]]:
    """The template variables of each case (cases loaded with debtor and portfolio__creditor)."""
    pay_by = business_today(campaign.window_start) + timedelta(days=campaign.pay_by_days)
    return {
        c.pk: {
            "name": masked_name(c.debtor.name, c.debtor.kind),
            "creditor": c.portfolio.creditor.name,
            "amount": c.total_balance_fen,
            "overdue_days": c.max_dpd,
            "case_ref": f"QZ{c.pk:08d}",
            "pay_by": pay_by,
            "hotline": campaign.hotline or "400-000-0000",
        }
        for c in cases
    }


def _may_view(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.can(roles.CAMPAIGN_VIEW)):
        raise AccessDenied()


def campaign_list(*, user: Any) -> QuerySet[Campaign]:
    _may_view(user)
    qs = Campaign.objects.select_related("created_by")
    if not user.can(roles.VIEW_ALL):
        qs = qs.filter(created_by=user)
    return qs.order_by("-created_at", "-id")


def campaign_get(*, user: Any, campaign_id: int) -> Campaign:
    found = campaign_list(user=user).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound()
    return found


def campaign_progress(campaign: Campaign) -> dict[str, Any]:
    """Counts by status and the share of the plan that is done (one query)."""
    counts = {s: 0 for s in CampaignMessage.Status.values}
    for status, n in (
        CampaignMessage.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[status] = n
    total = sum(counts.values())
    plannable = total - counts[CampaignMessage.Status.REFUSED]
    done = sum(counts[s] for s in DONE)
    if campaign.status == Campaign.Status.PLANNING:
        percent = round(100 * min(1.0, _planned_share(campaign)), 1) if campaign.cases_total else 0.0
    else:
        percent = round(100 * done / plannable, 1) if plannable else (100.0 if total else 0.0)
    return {"counts": counts, "total": total, "done": done, "percent": percent}


def _planned_share(campaign: Campaign) -> float:
    planned = campaign_cases(campaign).filter(pk__lte=campaign.plan_cursor).count()
    return planned / max(1, campaign.cases_total)


def campaign_results(campaign: Campaign) -> dict[str, Any]:
    """Delivered, replied, promised, paid within N days of the first message, complaints; by channel."""
    msgs = CampaignMessage.objects.filter(campaign=campaign)
    by_channel: dict[str, dict[str, int]] = {}
    for channel, status, n in msgs.values_list("channel", "status").annotate(n=Count("id")).order_by():
        by_channel.setdefault(channel, {s: 0 for s in CampaignMessage.Status.values})[status] = n
    reached = msgs.filter(status__in=REACHED)
    first = reached.order_by("sent_at").values_list("sent_at", flat=True).first()
    reached_cases = reached.values("case_id")
    totals = msgs.aggregate(
        sent=Count("id", filter=Q(status__in=REACHED)),
        delivered=Count("id", filter=Q(status=CampaignMessage.Status.DELIVERED)),
        replied=Count("id", filter=Q(replied_at__isnull=False)),
        opted_out=Count("id", filter=Q(reply_intent="opt_out")),
        complaint_replies=Count("id", filter=Q(reply_intent__in=("dispute", "complaint"))),
        failed=Count("id", filter=Q(status=CampaignMessage.Status.FAILED)),
        denied=Count("id", filter=Q(status=CampaignMessage.Status.DENIED)),
        refused=Count("id", filter=Q(status=CampaignMessage.Status.REFUSED)),
        cases_reached=Count("case_id", distinct=True, filter=Q(status__in=REACHED)),
    )
    out: dict[str, Any] = {
        **totals,
        "by_channel": by_channel,
        "days": campaign.result_days,
        "first_sent_at": first,
    }
    if first is None:
        out.update(promised_cases=0, paid_cases=0, paid_fen=0, disputes=0)
        return out
    until = first + timedelta(days=campaign.result_days)
    first_day = business_today(first)
    out["promised_cases"] = (
        PromiseToPay.objects.filter(case_id__in=reached_cases, created_at__gte=first, created_at__lt=until)
        .values("case_id")
        .distinct()
        .count()
    )
    paid = Payment.objects.filter(
        case_id__in=reached_cases,
        paid_on__gte=first_day,
        paid_on__lt=first_day + timedelta(days=campaign.result_days),
        reversal_of__isnull=True,
        amount_fen__gt=0,
    ).aggregate(cases=Count("case_id", distinct=True), fen=Sum("amount_fen"))
    out["paid_cases"] = paid["cases"] or 0
    out["paid_fen"] = paid["fen"] or 0
    out["disputes"] = Dispute.objects.filter(
        case_id__in=reached_cases, opened_at__gte=first, opened_at__lt=until
    ).count()
    return out
