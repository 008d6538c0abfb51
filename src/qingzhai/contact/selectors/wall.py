"""The supervisors' live wall: the calls of the last hours, bot and human, with the debtor's last emotion, and
the compliance alerts not yet closed. Access: contact.wall, narrowed to the cases the user may see
(`portfolio.selectors.case_queryset_for_user`; a creditor-scoped user sees its creditors' cases only).

Calls are stored when they end (a bot call with its whole transcript, a human call when its outcome is
logged), so the wall shows each call as soon as it is recorded; the page polls every few seconds. A human
call's emotion is that of the debtor's last transcribed line on the case, at or before the call ended,
within the window (the workspace stores what the debtor said with the outcome). A fixed number of queries
per refresh, whatever the number of calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q

from qingzhai.accounts import roles
from qingzhai.compliance.models import Alert, Utterance
from qingzhai.contact.emotion import classify
from qingzhai.contact.models import BotCall
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied
from qingzhai.portfolio.models import Activity, Case, PromiseToPay
from qingzhai.portfolio.selectors import case_queryset_for_user

DEFAULT_HOURS = 8
MAX_HOURS = 72
ROW_LIMIT = 40
ALERT_LIMIT = 20
NEGATIVE = frozenset({"angry", "anxious", "sad"})


@dataclass
class CallRow:
    kind: str  # "bot" or "human"
    at: datetime
    case: Case
    outcome: str
    agent: str  # the collector's name, or the script for a bot call
    emotion: str = ""  # the debtor's last emotion
    emotions: list[str] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)
    blocked_lines: int = 0
    turns: int = 0
    pk: int = 0

    @property
    def negative(self) -> bool:
        return self.emotion in NEGATIVE

    @property
    def recent(self) -> bool:
        return now() - self.at <= timedelta(minutes=5)


@dataclass
class Wall:
    calls: list[CallRow]
    alerts: list[Alert]
    hours: int
    since: datetime
    totals: dict[str, int]
    more: bool  # calls older than the rows shown exist in the window


def _require(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.can(roles.CONTACT_WALL):
        raise AccessDenied()


def wall(
    *, user: Any, hours: int = DEFAULT_HOURS, limit: int = ROW_LIMIT, at: datetime | None = None
) -> Wall:
    """The wall's rows, newest first (7 queries)."""
    _require(user)
    hours = max(1, min(int(hours), MAX_HOURS))
    at = at or now()
    since = at - timedelta(hours=hours)
    visible = case_queryset_for_user(user)
    bots = list(
        BotCall.objects.filter(case__in=visible, started_at__gte=since)
        .select_related("case__debtor")
        .order_by("-started_at", "-id")[: limit + 1]
    )
    humans = list(
        Activity.objects.filter(case__in=visible, kind=Activity.Kind.CALL, occurred_at__gte=since)
        .select_related("case__debtor", "actor")
        .order_by("-occurred_at", "-id")[: limit + 1]
    )
    rows: list[CallRow] = [
        CallRow(
            kind="bot",
            at=b.started_at,
            case=b.case,
            outcome=b.outcome,
            agent=f"{b.script_id} v{b.script_version}",
            emotion=b.emotions[-1] if b.emotions else "",
            emotions=list(b.emotions),
            branches=list(b.branches),
            blocked_lines=b.blocked_lines,
            turns=b.turns,
            pk=b.pk,
        )
        for b in bots
    ]
    rows += [
        CallRow(
            kind="human",
            at=a.occurred_at,
            case=a.case,
            outcome=a.outcome,
            agent=a.actor.label if a.actor else "—",
            pk=a.pk,
        )
        for a in humans
    ]
    rows.sort(key=lambda r: (r.at, r.pk), reverse=True)
    more = len(rows) > limit
    rows = rows[:limit]
    _human_emotions([r for r in rows if r.kind == "human"], since)
    open_alerts = Alert.objects.filter(case__in=visible).exclude(status=Alert.Status.CLOSED)
    alerts = list(
        open_alerts.select_related("utterance", "collector", "case__debtor").order_by("-created_at", "-id")[
            :ALERT_LIMIT
        ]
    )
    totals = _totals(visible, since, at)
    totals["alerts"] = open_alerts.count()
    return Wall(
        calls=rows,
        alerts=alerts,
        hours=hours,
        since=since,
        totals=totals,
        more=more,
    )


def _human_emotions(rows: list[CallRow], since: datetime) -> None:
    """The debtor's emotion on their last transcribed line before each human call ended (one query)."""
    if not rows:
        return
    lines = (
        Utterance.objects.filter(
            case_id__in={r.case.pk for r in rows}, speaker=Utterance.Speaker.DEBTOR, created_at__gte=since
        )
        .order_by("case_id", "-created_at", "-id")
        .values_list("case_id", "created_at", "text")
    )
    by_case: dict[int, list[tuple[datetime, str]]] = {}
    for case_id, created, text in lines:
        by_case.setdefault(case_id, []).append((created, text))
    for row in rows:
        # The lines are stored in the same moment as the call's outcome, so allow a little slack.
        limit = row.at + timedelta(minutes=5)
        texts = [text for created, text in by_case.get(row.case.pk, []) if created <= limit]
        if texts:
            row.emotion = classify(texts[0]).label


def _totals(visible: Any, since: datetime, at: datetime) -> dict[str, int]:
    calls = Activity.objects.filter(
        case__in=visible, kind__in=(Activity.Kind.CALL, Activity.Kind.BOT_CALL), occurred_at__gte=since
    ).aggregate(
        human=Count("id", filter=Q(kind=Activity.Kind.CALL)),
        bot=Count("id", filter=Q(kind=Activity.Kind.BOT_CALL)),
        promises=Count("id", filter=Q(outcome=Activity.Outcome.PROMISE)),
    )
    due_today = PromiseToPay.objects.filter(
        case__in=visible, status=PromiseToPay.Status.OPEN, due_date=business_today(at)
    ).count()
    return {
        "human": calls["human"] or 0,
        "bot": calls["bot"] or 0,
        "promises": calls["promises"] or 0,
        "due_today": due_today,
    }
