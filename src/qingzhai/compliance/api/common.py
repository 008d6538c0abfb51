"""Pieces the compliance API views share: the shape of a gate decision and of its rules, references to cases
and debtors, and list helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from rest_framework import serializers

from qingzhai.compliance.gate.facts import Decision
from qingzhai.compliance.models import ContactDecision
from qingzhai.compliance.policies.packs import PolicyError
from qingzhai.compliance.services import decision_summary
from qingzhai.compliance.services.contacts import hit_dict
from qingzhai.core.clock import business_tz
from qingzhai.core.errors import DomainError
from qingzhai.portfolio.api.common import UserRefSerializer
from qingzhai.portfolio.contact import OUTBOUND_KINDS
from qingzhai.portfolio.models import Activity

CHANNELS = sorted(OUTBOUND_KINDS)
PARTIES = [p for p in Activity.Party.values if p != Activity.Party.NONE]


def Flag(default: bool, **kwargs: Any) -> serializers.BooleanField:
    """A true/false input whose absence means `default` in form-encoded bodies too (DRF reads an absent
    checkbox as false, which would quietly loosen a flag that defaults to true)."""
    field = serializers.BooleanField(default=default, **kwargs)
    field.default_empty_html = default
    return field


class RuleHitOut(serializers.Serializer):
    """One rule that fired, with its legal basis and the explanation in both languages."""

    rule = serializers.CharField(help_text="Stable rule id, e.g. cn.hours.night")
    effect = serializers.ChoiceField(choices=["deny", "require", "route", "info"])
    basis = serializers.CharField(help_text="Legal basis / 依据")
    zh = serializers.CharField()
    en = serializers.CharField()
    params = serializers.DictField(help_text="The numbers that applied")  # type: ignore[assignment]


class DecisionOut(serializers.Serializer):
    """One answer of the contact gate, as stored."""

    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    debtor_id = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=CHANNELS)
    party = serializers.ChoiceField(choices=PARTIES)
    contact_point_id = serializers.IntegerField(allow_null=True)
    contact_point_masked = serializers.CharField(
        source="contact_point.value_masked", allow_null=True, default=None
    )
    planned_at = serializers.DateTimeField(help_text="When the contact is (or was) to happen")
    decided_at = serializers.DateTimeField()
    allowed = serializers.BooleanField()
    summary = serializers.SerializerMethodField()
    pack = serializers.CharField()
    pack_version = serializers.CharField()
    route = serializers.CharField(help_text="Where the case should go instead (enforcement, lawyer); empty")
    requirements = serializers.ListField(
        child=serializers.CharField(), help_text="Rule ids whose condition the contact must meet"
    )
    rules = RuleHitOut(many=True, source="hits")
    source = serializers.ChoiceField(choices=ContactDecision.Source.choices)  # type: ignore[assignment]
    actor = UserRefSerializer(allow_null=True)
    activity_id = serializers.IntegerField(
        allow_null=True, help_text="The logged activity this allowed decision covered, once used"
    )

    def get_summary(self, decision: ContactDecision) -> str:
        return decision_summary(decision)


class DecisionDetailOut(DecisionOut):
    basis = serializers.DictField(  # type: ignore[assignment]
        help_text="What the gate saw: the request, the debtor's facts, the creditor's overrides, the history"
    )


class EvaluationOut(serializers.Serializer):
    """A decision of the engine, not stored (a re-evaluation)."""

    allowed = serializers.BooleanField()
    pack = serializers.CharField()
    pack_version = serializers.CharField()
    route = serializers.CharField()
    requirements = serializers.ListField(child=serializers.CharField())
    rules = RuleHitOut(many=True)


def evaluation_dict(decision: Decision) -> dict[str, Any]:
    return {
        "allowed": decision.allowed,
        "pack": decision.pack,
        "pack_version": decision.pack_version,
        "route": decision.route or "",
        "requirements": list(decision.requirements),
        "rules": [hit_dict(h) for h in decision.hits],
    }


def day_start(day: date) -> datetime:
    """Midnight at the start of a business date (Asia/Shanghai), as an aware instant."""
    return datetime.combine(day, time.min, tzinfo=business_tz())


def day_end(day: date) -> datetime:
    """Midnight after a business date: ranges are [day_start(from), day_end(to))."""
    return day_start(day + timedelta(days=1))


@contextmanager
def gate_errors(time_field: str) -> Iterator[None]:
    """A pack that cannot be applied answers in the error shape: no version in force at the requested time
    is bad input (400 on `time_field`); any other pack problem is a conflict with the stored policy (409)."""
    try:
        yield
    except PolicyError as exc:
        if exc.code == "policy_pack_not_in_force":
            raise DomainError(exc.code, exc.zh, exc.en, fields={time_field: [exc.en]}) from exc
        raise DomainError(exc.code, exc.zh, exc.en, fields=exc.fields, status=409) from exc
