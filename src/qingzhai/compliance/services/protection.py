"""Facts that protect a debtor from contact, disputes, and the creditor's choice of policy pack."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance.gate.facts import Channel
from qingzhai.compliance.models import CreditorPolicy, DebtorProtection, Dispute
from qingzhai.compliance.policies.packs import PolicyError, apply_overrides, list_packs, load_pack
from qingzhai.compliance.snapshot import window_from_dict, window_to_dict
from qingzhai.core import audit, pii
from qingzhai.core.clock import now
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.portfolio.models import Creditor
from qingzhai.portfolio.selectors import case_get_for_user

# What a collector may record from the debtor's own words; the rest needs `compliance.protection`.
DEBTOR_STATED = frozenset(
    {"opted_out", "agreed_windows", "lawyer_represented", "lawyer_name", "lawyer_phone"}
)
FLAG_FIELDS = (
    "bankrupt",
    "deceased",
    "minor",
    "incapacitated",
    "time_barred",
    "unreachable",
    "guarantor_contact_allowed",
    "lawyer_represented",
)
OTHER_FIELDS = (
    "hardship_until",
    "lawyer_name",
    "lawyer_phone",
    "opted_out",
    "agreed_windows",
    "initial_communication_at",
    "validation_notice_sent_at",
)
AUDITED = (*FLAG_FIELDS, "hardship_until", "lawyer_name", "opted_out", "agreed_windows")


def _authenticated(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def _clean(field: str, value: Any) -> Any:
    """Validate one protection field; raise a DomainError naming it."""
    if field in FLAG_FIELDS:
        if not isinstance(value, bool):
            raise DomainError(
                "invalid_value", "应为是/否", "Must be true or false", fields={field: [str(value)]}
            )
        return value
    if field == "opted_out":
        try:
            return sorted({Channel(c).value for c in value})
        except (TypeError, ValueError) as exc:
            raise DomainError(
                "invalid_choice", "无效的渠道", "Unknown channel", fields={field: [str(value)]}
            ) from exc
    if field == "agreed_windows":
        try:
            return [window_to_dict(window_from_dict(w)) for w in value]
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise DomainError(
                "invalid_window",
                "约定联系时间格式应为 {start: HH:MM, end: HH:MM}",
                "An agreed window is {start: HH:MM, end: HH:MM}",
                fields={field: [str(value)]},
            ) from exc
    if field == "hardship_until":
        if value is not None and not isinstance(value, date):
            raise DomainError("invalid_date", "日期无效", "Invalid date", fields={field: [str(value)]})
        return value
    if field in ("initial_communication_at", "validation_notice_sent_at"):
        if value is not None and not (isinstance(value, datetime) and value.tzinfo is not None):
            raise DomainError("invalid_time", "时间无效", "Invalid time", fields={field: [str(value)]})
        return value
    if field in ("lawyer_name", "lawyer_phone"):
        return str(value or "").strip()
    raise DomainError("unknown_field", "未知字段", "Unknown field", fields={field: ["unknown"]})


@transaction.atomic
def protection_set(*, actor: Any, case_id: int, reason: str, **changes: Any) -> DebtorProtection:
    """Change what protects the case's debtor. Collectors may record what the debtor states (opt-outs, agreed
    contact times, a lawyer); bankruptcy, death, incapacity, hardship and time bar need the capability."""
    if not _authenticated(actor) or (not actor.can(roles.WORK_CASE) and not actor.can(roles.PROTECTION_SET)):
        raise AccessDenied()
    if not set(changes) <= DEBTOR_STATED and not actor.can(roles.PROTECTION_SET):
        raise AccessDenied(
            "只有主管、法务或合规可以设置该保护事项", "Only supervisors, legal or compliance may set this"
        )
    if not reason.strip():
        raise DomainError(
            "reason_required", "请填写原因", "A reason is required", fields={"reason": ["required"]}
        )
    case = case_get_for_user(user=actor, case_id=case_id, for_update=True)
    cleaned = {field: _clean(field, value) for field, value in changes.items()}
    protection = DebtorProtection.objects.select_for_update().filter(debtor_id=case.debtor_id).first()
    created = protection is None
    if protection is None:
        protection = DebtorProtection(debtor_id=case.debtor_id, updated_at=now())
    before = audit.snapshot(protection, AUDITED) if not created else {}
    for field, value in cleaned.items():
        if field == "lawyer_phone":
            pii.set_value(protection, "lawyer_phone", value or None)
        else:
            setattr(protection, field, value)
    protection.updated_by = actor
    protection.updated_at = now()
    protection.save()
    audit.record(
        actor=actor,
        action="protection.set",
        entity=protection,
        changes=audit.diff(before, audit.snapshot(protection, AUDITED)),
        reason=reason.strip(),
    )
    return protection


@transaction.atomic
def dispute_open(*, actor: Any, case_id: int, reason: str) -> Dispute:
    if not _authenticated(actor) or not actor.can(roles.WORK_CASE):
        raise AccessDenied()
    if not reason.strip():
        raise DomainError(
            "reason_required", "请填写异议内容", "Describe the dispute", fields={"reason": ["required"]}
        )
    case = case_get_for_user(user=actor, case_id=case_id, for_update=True)
    if Dispute.objects.filter(case=case, resolved_at__isnull=True).exists():
        raise DomainError(
            "dispute_already_open",
            "该案件已有未解决的异议",
            "The case already has an open dispute",
            status=409,
        )
    dispute = Dispute.objects.create(case=case, reason=reason.strip(), opened_at=now(), opened_by=actor)
    audit.record(actor=actor, action="dispute.open", entity=dispute, changes={"case": [None, case.pk]})
    return dispute


@transaction.atomic
def dispute_resolve(*, actor: Any, dispute_id: int, resolution: str) -> Dispute:
    if not _authenticated(actor) or not actor.can(roles.PROTECTION_SET):
        raise AccessDenied()
    dispute = Dispute.objects.select_for_update().filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    case_get_for_user(user=actor, case_id=dispute.case_id)
    if dispute.resolved_at is not None:
        raise DomainError("dispute_resolved", "该异议已解决", "The dispute is already resolved", status=409)
    if not resolution.strip():
        raise DomainError(
            "resolution_required",
            "请填写处理结果",
            "Describe the resolution",
            fields={"resolution": ["required"]},
        )
    dispute.resolved_at, dispute.resolved_by, dispute.resolution = now(), actor, resolution.strip()
    dispute.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit.record(
        actor=actor,
        action="dispute.resolve",
        entity=dispute,
        changes={"resolved_at": [None, dispute.resolved_at]},
    )
    return dispute


@transaction.atomic
def creditor_policy_set(
    *, actor: Any, creditor_id: int, pack: str, overrides: dict[str, Any], reason: str
) -> CreditorPolicy:
    """Choose the creditor's pack and stricter parameters; a looser parameter is refused."""
    if not _authenticated(actor) or not actor.can(roles.COMPLIANCE_MANAGE):
        raise AccessDenied()
    if not Creditor.objects.filter(pk=creditor_id).exists():
        raise NotFound()
    if pack not in {info.code for info in list_packs()}:
        raise DomainError("unknown_pack", "未知的政策包", "Unknown policy pack", fields={"pack": [pack]})
    if not reason.strip():
        raise DomainError(
            "reason_required", "请填写原因", "A reason is required", fields={"reason": ["required"]}
        )
    try:
        apply_overrides(load_pack(pack, now()), overrides)
    except PolicyError as exc:
        raise DomainError(exc.code, exc.zh, exc.en, fields=exc.fields) from exc
    policy = CreditorPolicy.objects.select_for_update().filter(creditor_id=creditor_id).first()
    before = {"pack": policy.pack, "overrides": policy.overrides} if policy else {}
    if policy is None:
        policy = CreditorPolicy(creditor_id=creditor_id)
    policy.pack, policy.overrides, policy.updated_by, policy.updated_at = pack, overrides, actor, now()
    policy.save()
    audit.record(
        actor=actor,
        action="policy.set",
        entity=policy,
        changes=audit.diff(before, {"pack": pack, "overrides": overrides}),
        reason=reason.strip(),
    )
    return policy


@transaction.atomic
def opt_out_from_reply(*, debtor_id: int, channel: str, note: str) -> DebtorProtection:
    """The debtor answered a message with an opt-out word ("TD", "退订"): the channel is closed to them at
    once, by the system, with the message named in the audit trail."""
    protection = DebtorProtection.objects.select_for_update().filter(debtor_id=debtor_id).first()
    created = protection is None
    if protection is None:
        protection = DebtorProtection(debtor_id=debtor_id, updated_at=now())
    before = audit.snapshot(protection, AUDITED) if not created else {}
    if channel not in protection.opted_out:
        protection.opted_out = sorted({*protection.opted_out, channel})
    protection.updated_at = now()
    protection.save()
    audit.record(
        actor="system",
        action="protection.opt_out",
        entity=protection,
        changes=audit.diff(before, audit.snapshot(protection, AUDITED)),
        reason=f"回复退订 opt-out reply: {note}",
    )
    return protection
