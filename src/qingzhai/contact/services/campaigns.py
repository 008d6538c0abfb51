"""Reminder campaigns: create, plan (in chunks of cases by id), start, pause, resume, cancel.

Sending, receipts and replies are in `campaign_send.py`. Every write here is audited in its transaction;
the campaign's creation and each control action also go to the evidence ledger.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance import inputs, inputs_bulk
from qingzhai.compliance.gate.engine import history_lookback
from qingzhai.compliance.gate.facts import Channel, Outcome, Party, PastContact
from qingzhai.compliance.policies.packs import PolicyPack
from qingzhai.contact.campaigns import planner
from qingzhai.contact.campaigns.templates import GATE_CHANNEL, TemplateError, template_get
from qingzhai.contact.models import Campaign, CampaignMessage
from qingzhai.contact.selectors.campaigns import campaign_cases, case_values
from qingzhai.core import audit
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.evidence import acts as evidence_acts
from qingzhai.portfolio.models import ContactPoint

MAX_STEPS = 10
MAX_WINDOW_HOURS = 24 * 31
DEFAULT_PER_HOUR = {"sms": 20000, "voice": 3000, "email": 20000, "letter": 2000}
PLAN_CHUNK = 1000
ACTIVE = (Campaign.Status.PLANNING, Campaign.Status.PLANNED, Campaign.Status.RUNNING, Campaign.Status.PAUSED)


def _require(actor: Any, capability: str) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.can(capability)):
        raise AccessDenied()


def _bad(field: str, zh: str, en: str, **params: Any) -> DomainError:
    return DomainError("invalid", zh, en, fields={field: [en.format(**params)]}, **params)


def _clean_steps(steps: list[dict[str, Any]], window_hours: int) -> list[dict[str, Any]]:
    if not steps:
        raise _bad("steps", "至少需要一个步骤", "At least one step is required")
    if len(steps) > MAX_STEPS:
        raise _bad("steps", "步骤最多{n}个", "At most {n} steps", n=MAX_STEPS)
    out = []
    for n, raw in enumerate(steps, start=1):
        try:
            template = template_get(str(raw.get("template_id") or ""))
        except TemplateError as exc:
            raise DomainError(
                exc.code, f"第{n}步：{exc.zh}", f"Step {n}: {exc.en}", fields={"steps": [exc.en]}
            ) from None
        channel = str(raw.get("channel") or template.channel)
        if channel != template.channel:
            raise _bad(
                "steps",
                "第{n}步：模板{t}属于{c}渠道",
                "Step {n}: template {t} is for the {c} channel",
                n=n,
                t=template.id,
                c=template.channel,
            )
        try:
            offset = int(raw.get("offset_hours") or 0)
        except (TypeError, ValueError):
            raise _bad("steps", "第{n}步：间隔小时数无效", "Step {n}: invalid offset in hours", n=n) from None
        if not 0 <= offset < window_hours:
            raise _bad(
                "steps",
                "第{n}步：开始后的小时数须在 0 到 {w} 之间",
                "Step {n}: the offset must be between 0 and {w} hours",
                n=n,
                w=window_hours - 1,
            )
        out.append(
            {
                "channel": channel,
                "template_id": template.id,
                "version": template.version,
                "digest": template.digest,
                "offset_hours": offset,
            }
        )
    return out


FILTER_KEYS = ("creditor_ids", "portfolio_ids", "stages", "buckets", "min_dpd", "max_dpd", "min_balance_fen")
DEFAULT_STAGES = ["new", "contact", "negotiated"]


def _clean_filters(filters: dict[str, Any]) -> dict[str, Any]:
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise _bad("filters", "未知的筛选条件：{k}", "Unknown filters: {k}", k=names)
    out: dict[str, Any] = {}
    for key in ("creditor_ids", "portfolio_ids"):
        if filters.get(key):
            try:
                out[key] = sorted({int(v) for v in filters[key]})
            except (TypeError, ValueError):
                raise _bad("filters", "{k} 须为编号列表", "{k} must be a list of ids", k=key) from None
    out["stages"] = [str(s) for s in (filters.get("stages") or DEFAULT_STAGES)]
    if filters.get("buckets"):
        out["buckets"] = [str(b) for b in filters["buckets"]]
    for key in ("min_dpd", "max_dpd", "min_balance_fen"):
        if filters.get(key) not in (None, ""):
            try:
                out[key] = int(filters[key])
            except (TypeError, ValueError):
                raise _bad("filters", "{k} 须为整数", "{k} must be a whole number", k=key) from None
            if out[key] < 0:
                raise _bad("filters", "{k} 不能为负", "{k} cannot be negative", k=key)
    return out


def _clean_per_hour(per_hour: dict[str, Any] | None) -> dict[str, int]:
    out = dict(DEFAULT_PER_HOUR)
    for channel, value in (per_hour or {}).items():
        if channel not in DEFAULT_PER_HOUR:
            raise _bad("per_hour", "未知渠道：{c}", "Unknown channel: {c}", c=channel)
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise _bad(
                "per_hour", "{c} 每小时容量须为整数", "{c}: capacity per hour must be a number", c=channel
            ) from None
        if not 1 <= number <= 1_000_000:
            raise _bad(
                "per_hour",
                "{c} 每小时容量须在 1 到 1,000,000 之间",
                "{c}: capacity must be 1 to 1,000,000",
                c=channel,
            )
        out[channel] = number
    return out


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    name: str,
    steps: list[dict[str, Any]],
    filters: dict[str, Any] | None = None,
    start: datetime | None = None,
    window_hours: int = 72,
    per_hour: dict[str, Any] | None = None,
    hotline: str = "",
    pay_by_days: int = 7,
    result_days: int = 7,
) -> Campaign:
    _require(actor, roles.CAMPAIGN_MANAGE)
    name = (name or "").strip()
    if not name:
        raise _bad("name", "请填写活动名称", "A name is required")
    if len(name) > 200:
        raise _bad("name", "名称不能超过200个字符", "The name is longer than 200 characters")
    if not 1 <= int(window_hours) <= MAX_WINDOW_HOURS:
        raise _bad(
            "window_hours",
            "活动时长须在 1 到 {m} 小时之间",
            "The window must be 1 to {m} hours",
            m=MAX_WINDOW_HOURS,
        )
    if not 1 <= int(pay_by_days) <= 90 or not 1 <= int(result_days) <= 90:
        raise _bad("pay_by_days", "天数须在 1 到 90 之间", "Days must be between 1 and 90")
    moment = now()
    begin = start or moment
    if begin < moment - timedelta(minutes=5):
        raise _bad("start", "开始时间不能早于现在", "The start cannot be in the past")
    campaign = Campaign.objects.create(
        name=name,
        filters=_clean_filters(filters or {}),
        steps=_clean_steps(steps, int(window_hours)),
        per_hour=_clean_per_hour(per_hour),
        hotline=(hotline or "").strip()[:40],
        pay_by_days=int(pay_by_days),
        result_days=int(result_days),
        window_start=begin,
        window_end=begin + timedelta(hours=int(window_hours)),
        created_by=actor,
        created_at=moment,
    )
    audit.record(actor=actor, action="campaign.create", entity=campaign, changes={"name": [None, name]})
    evidence_acts.row("campaign", campaign, actor=actor, case_id=None)
    return campaign


def _locked(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def _status_error(campaign: Campaign, action: str) -> DomainError:
    return DomainError(
        "campaign_state",
        "活动当前状态（{s}）不能执行“{a}”",
        "The campaign is {s}: cannot {a}",
        fields={"status": [campaign.status]},
        status=409,
        s=campaign.status,
        a=action,
    )


def _control(
    *, actor: Any, campaign_id: int, action: str, allowed: tuple[str, ...], to: str, reason: str = ""
) -> Campaign:
    _require(actor, roles.CAMPAIGN_MANAGE)
    campaign = _locked(campaign_id)
    if campaign.status not in allowed:
        raise _status_error(campaign, action)
    before = campaign.status
    campaign.status = to
    moment = now()
    fields = ["status"]
    if to == Campaign.Status.RUNNING and campaign.started_at is None:
        campaign.started_at = moment
        fields.append("started_at")
    if to in (Campaign.Status.CANCELLED, Campaign.Status.COMPLETED):
        campaign.finished_at = moment
        fields.append("finished_at")
    campaign.save(update_fields=fields)
    audit.record(
        actor=actor,
        action=f"campaign.{action}",
        entity=campaign,
        changes={"status": [before, to]},
        reason=reason,
    )
    evidence_acts.row("campaign", campaign, actor=actor, case_id=None, extra={"action": action})
    return campaign


@transaction.atomic
def campaign_plan_start(*, actor: Any, campaign_id: int) -> Campaign:
    """Start planning (Celery, chunk after chunk of cases); `campaign_plan_chunk` does the work."""
    campaign = _control(
        actor=actor,
        campaign_id=campaign_id,
        action="plan",
        allowed=(Campaign.Status.DRAFT,),
        to=Campaign.Status.PLANNING,
    )
    cases = campaign_cases(campaign).count()
    Campaign.objects.filter(pk=campaign.pk).update(cases_total=cases)
    campaign.cases_total = cases
    from qingzhai.contact import tasks

    transaction.on_commit(lambda: tasks.campaign_plan.delay(campaign.pk))
    return campaign


@transaction.atomic
def campaign_start(*, actor: Any, campaign_id: int) -> Campaign:
    campaign = _control(
        actor=actor,
        campaign_id=campaign_id,
        action="start",
        allowed=(Campaign.Status.PLANNED,),
        to=Campaign.Status.RUNNING,
    )
    from qingzhai.contact import tasks

    transaction.on_commit(lambda: tasks.campaign_dispatch.delay(campaign.pk))
    return campaign


@transaction.atomic
def campaign_pause(*, actor: Any, campaign_id: int, reason: str = "") -> Campaign:
    return _control(
        actor=actor,
        campaign_id=campaign_id,
        action="pause",
        allowed=(Campaign.Status.RUNNING,),
        to=Campaign.Status.PAUSED,
        reason=reason,
    )


@transaction.atomic
def campaign_resume(*, actor: Any, campaign_id: int) -> Campaign:
    campaign = _control(
        actor=actor,
        campaign_id=campaign_id,
        action="resume",
        allowed=(Campaign.Status.PAUSED,),
        to=Campaign.Status.RUNNING,
    )
    # a message claimed by a sender that stopped goes back to the queue (the idempotency key prevents a
    # second SMS; see docs/contact-campaigns.md for voice)
    CampaignMessage.objects.filter(campaign=campaign, status=CampaignMessage.Status.SENDING).update(
        status=CampaignMessage.Status.PLANNED
    )
    Campaign.objects.filter(pk=campaign.pk).update(error="")
    from qingzhai.contact import tasks

    transaction.on_commit(lambda: tasks.campaign_dispatch.delay(campaign.pk))
    return campaign


@transaction.atomic
def campaign_cancel(*, actor: Any, campaign_id: int, reason: str = "") -> Campaign:
    campaign = _control(
        actor=actor,
        campaign_id=campaign_id,
        action="cancel",
        allowed=(Campaign.Status.DRAFT, *ACTIVE),
        to=Campaign.Status.CANCELLED,
        reason=reason,
    )
    CampaignMessage.objects.filter(
        campaign=campaign, status__in=(CampaignMessage.Status.PLANNED, CampaignMessage.Status.SENDING)
    ).update(status=CampaignMessage.Status.CANCELLED)
    return campaign


# --- planning ------------------------------------------------------------------------------------


def _planned_history(campaign: Campaign, debtor_ids: set[int]) -> dict[int, list[PastContact]]:
    out: dict[int, list[PastContact]] = defaultdict(list)
    rows = CampaignMessage.objects.filter(
        campaign=campaign, debtor_id__in=debtor_ids, status=CampaignMessage.Status.PLANNED
    ).values_list("debtor_id", "scheduled_at", "channel", "contact_point_id", "case_id")
    for debtor_id, at, channel, cp, case_id in rows:
        if at is None:
            continue
        gate_channel = Channel(GATE_CHANNEL[channel])
        out[debtor_id].append(
            PastContact(
                at=at,
                channel=gate_channel,
                party=Party.DEBTOR,
                contact_id=inputs.contact_key(cp, "debtor"),
                debt_id=inputs.debt_key(case_id),
                outcome=Outcome.NO_ANSWER if gate_channel.is_call else Outcome.SENT,
            )
        )
    return out


def _targets(cases: list[Any], channels: set[str]) -> dict[int, dict[str, tuple[int | None, ...]]]:
    phones: dict[int, list[int]] = defaultdict(list)
    if channels & {"sms", "voice"}:
        for pk, debtor_id in ContactPoint.objects.filter(
            debtor_id__in={c.debtor_id for c in cases},
            party=ContactPoint.Party.DEBTOR,
            status=ContactPoint.Status.VALID,
        ).values_list("pk", "debtor_id"):
            phones[debtor_id].append(pk)
    out: dict[int, dict[str, tuple[int | None, ...]]] = {}
    for case in cases:
        targets: dict[str, tuple[int | None, ...]] = {}
        for channel in channels:
            if channel in ("sms", "voice"):
                targets[channel] = tuple(phones.get(case.debtor_id, ()))
            elif channel == "letter" and case.debtor.home_address_masked:
                targets[channel] = (None,)
            # e-mail: debtors carry no e-mail address yet, so an e-mail step finds no recipient
        out[case.pk] = targets
    return out


def campaign_plan_chunk(*, campaign_id: int, size: int = PLAN_CHUNK) -> bool:
    """Plan the next `size` cases (by id) of a planning campaign. True while cases remain."""
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if campaign.status != Campaign.Status.PLANNING:
            return False
        cases = list(
            campaign_cases(campaign)
            .filter(pk__gt=campaign.plan_cursor)
            .select_related("debtor", "portfolio__creditor")
            .order_by("pk")[:size]
        )
        if not cases:
            campaign.status = Campaign.Status.PLANNED
            campaign.planned_at = now()
            campaign.save(update_fields=["status", "planned_at"])
            audit.record(
                actor=campaign.created_by,
                action="campaign.planned",
                entity=campaign,
                changes={
                    "messages": [None, campaign.messages_total],
                    "refused": [None, campaign.refused_total],
                },
            )
            return False
        steps = [planner.Step(s["channel"], s["template_id"], int(s["offset_hours"])) for s in campaign.steps]
        debtor_ids = {c.debtor_id for c in cases}
        facts = inputs_bulk.facts_by_debtor(debtor_ids)
        packs: dict[int, PolicyPack] = {}
        for case in cases:
            creditor = case.portfolio.creditor_id
            if creditor not in packs:
                packs[creditor] = inputs.pack_for(creditor, campaign.window_start)[0]
        lookback = max(history_lookback(p) for p in packs.values())
        history = inputs_bulk.history_by_debtor(
            debtor_ids, since=campaign.window_start - lookback, before=now()
        )
        targets = _targets(cases, {s.channel for s in steps})
        slots = planner.Slots(
            start=campaign.window_start,
            per_hour=dict(campaign.per_hour),
            used={
                (channel, int(hour)): n
                for channel, hours in (campaign.slot_use or {}).items()
                for hour, n in hours.items()
            },
        )
        planned = _planned_history(campaign, debtor_ids)
        by_case = {c.pk: c for c in cases}
        values = case_values(campaign, cases)
        rows: list[CampaignMessage] = []
        for creditor, pack in packs.items():
            group = [
                planner.PlanCase(
                    case_id=c.pk,
                    debtor_id=c.debtor_id,
                    facts=facts[c.debtor_id],
                    history=tuple(history.get(c.debtor_id, ())),
                    targets=targets[c.pk],
                )
                for c in cases
                if c.portfolio.creditor_id == creditor
            ]
            for item in planner.plan(
                group,
                steps,
                pack=pack,
                start=campaign.window_start,
                end=campaign.window_end,
                slots=slots,
                planned_history=planned,
            ):
                case = by_case[item.case_id]
                step = campaign.steps[item.step]
                subject, body = template_get(step["template_id"]).render(values[case.pk])
                rows.append(
                    CampaignMessage(
                        campaign=campaign,
                        case_id=case.pk,
                        debtor_id=case.debtor_id,
                        step=item.step,
                        channel=item.channel,
                        template_id=step["template_id"],
                        contact_point_id=item.contact_point_id,
                        scheduled_at=item.at,
                        status=CampaignMessage.Status.PLANNED
                        if item.allowed
                        else CampaignMessage.Status.REFUSED,
                        rules=list(item.rules),
                        subject=subject[:200],
                        body=body,
                        body_sha256=hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest(),
                        idempotency_key=f"cmp{campaign.pk}-c{case.pk}-s{item.step}-p{item.contact_point_id or 0}",
                    )
                )
        CampaignMessage.objects.bulk_create(rows, batch_size=1000)
        use: dict[str, dict[str, int]] = defaultdict(dict)
        for (channel, hour), n in slots.used.items():
            use[channel][str(hour)] = n
        campaign.slot_use = dict(use)
        campaign.plan_cursor = cases[-1].pk
        campaign.messages_total += len(rows)
        campaign.refused_total += sum(1 for r in rows if r.status == CampaignMessage.Status.REFUSED)
        campaign.save(update_fields=["slot_use", "plan_cursor", "messages_total", "refused_total"])
        return True


def pay_by(campaign: Campaign) -> Any:
    return business_today(campaign.window_start) + timedelta(days=campaign.pay_by_days)
