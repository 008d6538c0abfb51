"""What protects a debtor from contact (opt-outs, agreed times, a lawyer, bankruptcy, hardship ...), and the
disputes that freeze collection pressure until they are resolved."""

from __future__ import annotations

from datetime import time
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance import selectors, services
from qingzhai.compliance.api.common import CHANNELS
from qingzhai.compliance.models import DebtorProtection, Dispute
from qingzhai.core.errors import NotFound
from qingzhai.core.i18n import bi
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    WRITE_ERRORS,
    ApiView,
    DateInputField,
    DateTimeInputField,
    UserRefSerializer,
    api_write,
    body,
)
from qingzhai.portfolio.models import Case
from qingzhai.portfolio.selectors import case_get_for_user

TAGS = ["compliance-protection"]
PHONE_PATTERN = r"^[0-9+\-\s()（）]*$"


class AgreedWindowSerializer(serializers.Serializer):
    """A contact time the debtor agreed to, in the debtor's local time; `end` before `start` crosses midnight."""

    start = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"], help_text="HH:MM")
    end = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"], help_text="HH:MM")
    on = DateInputField(required=False, allow_null=True, default=None, help_text="Only on this local date")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        allow_null=True,
        default=None,
        max_length=7,
        help_text="Only on these days, 0 = Monday",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["start"] == attrs["end"]:
            raise serializers.ValidationError(
                {"end": [bi("结束时间不能等于开始时间", "The end cannot equal the start")]}
            )
        return attrs


class AgreedWindowOut(serializers.Serializer):
    start = serializers.CharField(help_text="HH:MM")
    end = serializers.CharField(help_text="HH:MM")
    on = serializers.DateField(allow_null=True, help_text="Only on this local date; null: any date")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(), allow_null=True, help_text="0 = Monday; null: every day"
    )


class DisputeOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    reason = serializers.CharField()
    is_open = serializers.SerializerMethodField()
    opened_at = serializers.DateTimeField()
    opened_by = UserRefSerializer(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = UserRefSerializer(allow_null=True)
    resolution = serializers.CharField()

    def get_is_open(self, dispute: Dispute) -> bool:
        return dispute.resolved_at is None


class ProtectionOut(serializers.Serializer):
    case_id = serializers.IntegerField()
    debtor_id = serializers.IntegerField()
    bankrupt = serializers.BooleanField()
    deceased = serializers.BooleanField()
    minor = serializers.BooleanField()
    incapacitated = serializers.BooleanField()
    time_barred = serializers.BooleanField()
    unreachable = serializers.BooleanField(
        help_text="The debtor cannot be reached: a ground to ask third parties"
    )
    guarantor_contact_allowed = serializers.BooleanField()
    hardship_until = serializers.DateField(allow_null=True)
    lawyer_represented = serializers.BooleanField()
    lawyer_name = serializers.CharField()
    lawyer_phone_masked = serializers.CharField()
    opted_out = serializers.ListField(child=serializers.ChoiceField(choices=CHANNELS))
    agreed_windows = AgreedWindowOut(many=True)
    initial_communication_at = serializers.DateTimeField(allow_null=True)
    validation_notice_sent_at = serializers.DateTimeField(allow_null=True)
    updated_by = UserRefSerializer(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True, help_text="null: nothing recorded yet")
    disputes = DisputeOut(many=True)


class ProtectionIn(serializers.Serializer):
    """Only the fields sent are changed. Collectors may record what the debtor states (opt-outs, agreed times,
    a lawyer); the rest needs compliance.protection."""

    bankrupt = serializers.BooleanField(required=False)
    deceased = serializers.BooleanField(required=False)
    minor = serializers.BooleanField(required=False)
    incapacitated = serializers.BooleanField(required=False)
    time_barred = serializers.BooleanField(required=False)
    unreachable = serializers.BooleanField(required=False)
    guarantor_contact_allowed = serializers.BooleanField(required=False)
    hardship_until = DateInputField(required=False, allow_null=True)
    lawyer_represented = serializers.BooleanField(required=False)
    lawyer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    lawyer_phone = serializers.RegexField(
        PHONE_PATTERN, max_length=30, required=False, allow_blank=True, help_text="Stored encrypted"
    )
    opted_out = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNELS), required=False, max_length=len(CHANNELS) * 2
    )
    agreed_windows = AgreedWindowSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]
    initial_communication_at = DateTimeInputField(required=False, allow_null=True)
    validation_notice_sent_at = DateTimeInputField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=1000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if set(attrs) == {"reason"}:
            raise serializers.ValidationError(
                bi("请至少修改一项保护事项", "Change at least one protection field"), code="nothing_to_change"
            )
        return attrs


class DisputeIn(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, help_text="What the debtor disputes")


class ResolveIn(serializers.Serializer):
    resolution = serializers.CharField(max_length=4000)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    changes = {k: v for k, v in data.items() if k != "reason"}
    if "agreed_windows" in changes:
        windows = []
        for w in changes["agreed_windows"]:
            item: dict[str, Any] = {"start": _hhmm(w["start"]), "end": _hhmm(w["end"])}
            if w.get("on") is not None:
                item["on"] = w["on"].isoformat()
            if w.get("weekdays") is not None:
                item["weekdays"] = sorted(set(w["weekdays"]))
            windows.append(item)
        changes["agreed_windows"] = windows
    return changes


PROTECTION_FIELDS = (
    "debtor_id",
    "bankrupt",
    "deceased",
    "minor",
    "incapacitated",
    "time_barred",
    "unreachable",
    "guarantor_contact_allowed",
    "hardship_until",
    "lawyer_represented",
    "lawyer_name",
    "lawyer_phone_masked",
    "opted_out",
    "agreed_windows",
    "initial_communication_at",
    "validation_notice_sent_at",
)


def _protection_out(case: Case) -> dict[str, Any]:
    protection = DebtorProtection.objects.select_related("updated_by").filter(
        debtor_id=case.debtor_id
    ).first() or DebtorProtection(debtor_id=case.debtor_id)
    row = {name: getattr(protection, name) for name in PROTECTION_FIELDS}
    row["updated_at"] = protection.updated_at if protection.pk else None
    row["updated_by"] = protection.updated_by if protection.pk else None
    row.update(case_id=case.pk, disputes=selectors.case_disputes(case=case))
    return ProtectionOut(row).data


class ProtectionView(ApiView):
    capabilities = {
        "GET": (roles.WORK_CASE, roles.COMPLIANCE_VIEW, roles.PROTECTION_SET),
        "PATCH": (roles.WORK_CASE, roles.PROTECTION_SET),
    }

    @extend_schema(
        operation_id="compliance_protection_retrieve",
        tags=TAGS,
        summary="What protects the case's debtor from contact, and the case's disputes",
        description="For those who work cases or review compliance; not for creditor clients.",
        responses={200: ProtectionOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_protection_out(case_get_for_user(user=request.user, case_id=pk)))

    @extend_schema(
        operation_id="compliance_protection_update",
        tags=TAGS,
        summary="Change what protects the debtor (reason required; audited)",
        description=(
            "Collectors may set opted_out, agreed_windows and the lawyer fields (what the debtor states); "
            "bankruptcy, death, minority, incapacity, hardship, time bar and the rest need compliance.protection."
        ),
        request=ProtectionIn,
        responses={200: ProtectionOut, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        case_get_for_user(user=request.user, case_id=pk)
        data = body(ProtectionIn, request)
        with api_write():
            services.protection_set(actor=request.user, case_id=pk, reason=data["reason"], **_changes(data))
        return Response(_protection_out(case_get_for_user(user=request.user, case_id=pk)))


class DisputeCreateView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="compliance_disputes_create",
        tags=TAGS,
        summary="Record that the debtor disputes the debt; pressing for payment stops until resolved",
        description="409 `dispute_already_open` when the case has an open dispute. Needs cases.work.",
        request=DisputeIn,
        responses={201: DisputeOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        case_get_for_user(user=request.user, case_id=pk)
        data = body(DisputeIn, request)
        with api_write():
            dispute = services.dispute_open(actor=request.user, case_id=pk, reason=data["reason"])
        out = Dispute.objects.select_related("opened_by", "resolved_by").get(pk=dispute.pk)
        return Response(DisputeOut(out).data, status=status.HTTP_201_CREATED)


class DisputeResolveView(ApiView):
    capabilities = {"POST": roles.PROTECTION_SET}

    @extend_schema(
        operation_id="compliance_disputes_resolve",
        tags=TAGS,
        summary="Resolve a dispute (compliance.protection)",
        description="409 `dispute_resolved` when it is resolved already.",
        request=ResolveIn,
        responses={200: DisputeOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        dispute = Dispute.objects.filter(pk=pk).only("case_id").first()
        if dispute is None:
            raise NotFound()
        case_get_for_user(user=request.user, case_id=dispute.case_id)
        data = body(ResolveIn, request)
        with api_write():
            services.dispute_resolve(actor=request.user, dispute_id=pk, resolution=data["resolution"])
        out = Dispute.objects.select_related("opened_by", "resolved_by").get(pk=pk)
        return Response(DisputeOut(out).data)
