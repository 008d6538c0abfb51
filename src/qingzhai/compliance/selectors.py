"""Every read the compliance pages and API need, with the access check in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from qingzhai.accounts import roles
from qingzhai.compliance.access import require
from qingzhai.compliance.models import (
    Alert,
    ContactDecision,
    DishonestEntry,
    DishonestMatch,
    Dispute,
    Utterance,
)
from qingzhai.core.errors import NotFound
from qingzhai.portfolio.models import Debtor
from qingzhai.portfolio.selectors import case_queryset_for_user


def alert_queryset(*, user: Any, status: str = "", since_id: int | None = None) -> QuerySet[Alert]:
    """Alerts on the cases the user may see; supervisors and compliance see all."""
    require(user, roles.COMPLIANCE_VIEW)
    qs = Alert.objects.filter(case__in=case_queryset_for_user(user)).select_related(
        "utterance", "collector", "case__debtor"
    )
    if status == "active":
        qs = qs.exclude(status=Alert.Status.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if since_id is not None:
        qs = qs.filter(pk__gt=since_id)
    return qs.order_by("-created_at", "-id")


def alert_get(*, user: Any, alert_id: int | str) -> Alert:
    try:
        pk = int(alert_id)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    alert = alert_queryset(user=user).prefetch_related("actions__actor").filter(pk=pk).first()
    if alert is None:
        raise NotFound()
    return alert


def decision_queryset(*, user: Any, allowed: bool | None = False) -> QuerySet[ContactDecision]:
    """Gate decisions (the denied-contact log by default) on the cases the user may see."""
    require(user, roles.COMPLIANCE_VIEW)
    qs = ContactDecision.objects.filter(case__in=case_queryset_for_user(user)).select_related(
        "actor", "case__debtor", "contact_point"
    )
    if allowed is not None:
        qs = qs.filter(allowed=allowed)
    return qs.order_by("-decided_at", "-id")


def decision_get(*, user: Any, decision_id: int | str) -> ContactDecision:
    try:
        pk = int(decision_id)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    row = decision_queryset(user=user, allowed=None).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def case_decisions(*, case: Any, limit: int = 20) -> list[ContactDecision]:
    return list(
        ContactDecision.objects.filter(case=case).select_related("actor").order_by("-decided_at")[:limit]
    )


@dataclass
class DishonestRow:
    debtor: Debtor
    entry: DishonestEntry
    match: DishonestMatch | None


def dishonest_matches(*, user: Any, include_cleared: bool = False) -> list[DishonestRow]:
    """Debtors on the list (live join by blind index), with the recorded match and its clearance."""
    require(user, roles.COMPLIANCE_VIEW)
    debtors = (
        Debtor.objects.filter(cases__in=case_queryset_for_user(user)).exclude(id_number_bidx="").distinct()
    )
    entries = DishonestEntry.objects.filter(id_number_bidx__in=debtors.values("id_number_bidx"))
    by_index: dict[str, list[DishonestEntry]] = {}
    for entry in entries.order_by("-listed_on", "id"):
        by_index.setdefault(entry.id_number_bidx, []).append(entry)
    if not by_index:
        return []
    matched = {
        (m.debtor_id, m.entry_id): m
        for m in DishonestMatch.objects.filter(entry__id_number_bidx__in=by_index).select_related(
            "cleared_by"
        )
    }
    rows = []
    for debtor in debtors.filter(id_number_bidx__in=by_index).order_by("name", "id"):
        for entry in by_index[debtor.id_number_bidx]:
            match = matched.get((debtor.pk, entry.pk))
            if match is not None and match.cleared_at is not None and not include_cleared:
                continue
            rows.append(DishonestRow(debtor=debtor, entry=entry, match=match))
    return rows


def case_dishonest(*, case: Any) -> list[DishonestRow]:
    debtor = case.debtor
    if not debtor.id_number_bidx:
        return []
    entries = DishonestEntry.objects.filter(id_number_bidx=debtor.id_number_bidx).order_by("-listed_on")
    matched = {m.entry_id: m for m in DishonestMatch.objects.filter(debtor=debtor)}
    return [DishonestRow(debtor=debtor, entry=e, match=matched.get(e.pk)) for e in entries]


def case_disputes(*, case: Any) -> list[Dispute]:
    return list(Dispute.objects.filter(case=case).select_related("opened_by", "resolved_by"))


@dataclass
class CollectorStats:
    collector_id: int | None
    name: str
    utterances: int
    violating: int
    alerts_open: int

    @property
    def per_thousand(self) -> float:
        return round(1000 * self.violating / self.utterances, 1) if self.utterances else 0.0


def collector_stats(
    *, user: Any, since: datetime | None = None
) -> tuple[CollectorStats, list[CollectorStats]]:
    """Violations per 1,000 utterances in total and per collector (collectors' own utterances)."""
    require(user, roles.COMPLIANCE_VIEW)
    qs = Utterance.objects.filter(
        case__in=case_queryset_for_user(user), speaker=Utterance.Speaker.COLLECTOR, author__isnull=False
    )
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    open_alerts = (
        Alert.objects.filter(collector=OuterRef("author"), case__in=case_queryset_for_user(user))
        .exclude(status=Alert.Status.CLOSED)
        .values("collector")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        qs.values("author", "author__username", "author__first_name", "author__last_name")
        .annotate(total=Count("id"), violating=Count("id", filter=Q(alert__isnull=False)))
        .annotate(open_alerts=Subquery(open_alerts))
        .order_by("-violating", "author__username")
    )
    per = [
        CollectorStats(
            collector_id=r["author"],
            name=(f"{r['author__last_name']}{r['author__first_name']}".strip() or r["author__username"]),
            utterances=r["total"],
            violating=r["violating"],
            alerts_open=r["open_alerts"] or 0,
        )
        for r in rows
    ]
    total = CollectorStats(
        collector_id=None,
        name="",
        utterances=sum(s.utterances for s in per),
        violating=sum(s.violating for s in per),
        alerts_open=sum(s.alerts_open for s in per),
    )
    return total, per
