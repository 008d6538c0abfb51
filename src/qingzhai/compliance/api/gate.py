"""The contact gate: ask before dialling, sending or visiting. Every answer is stored as a decision."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance import services
from qingzhai.compliance.api.common import CHANNELS, PARTIES, DecisionOut, Flag, gate_errors
from qingzhai.compliance.models import ContactDecision
from qingzhai.portfolio.api.common import (
    WRITE_ERRORS,
    ApiView,
    DateTimeInputField,
    IdField,
    api_write,
    body,
)
from qingzhai.portfolio.models import Activity

TAGS = ["compliance-gate"]


class GateCheckIn(serializers.Serializer):
    case_id = IdField()
    kind = serializers.ChoiceField(choices=CHANNELS, help_text="The channel of the planned contact")
    party = serializers.ChoiceField(choices=PARTIES, default=Activity.Party.DEBTOR)
    contact_point_id = IdField(
        required=False, allow_null=True, default=None, help_text="The number to be dialled or texted"
    )
    at = DateTimeInputField(
        required=False, allow_null=True, default=None, help_text="When the contact is planned; now if absent"
    )
    pressure = Flag(True, help_text="Presses for payment; false for a purely informational message")
    includes_disclosure = Flag(False, help_text="The message carries the time-barred-debt disclosure")
    threatens_suit = Flag(False, help_text="The message mentions a lawsuit")
    debtor_agreed = Flag(False, help_text="The debtor asked for this contact (e.g. a call-back)")


class GateCheckView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="compliance_gate_check",
        tags=TAGS,
        summary="Ask the contact gate whether a contact may be made now (or at `at`); the answer is stored",
        description=(
            "200 with the decision whether allowed or not: a denial is an answer, not an error. An allowed "
            "decision's id may be passed as `decision_id` when the contact is logged (POST /api/v1/activities/) "
            "within 15 minutes of `at`. Needs cases.work."
        ),
        request=GateCheckIn,
        responses={200: DecisionOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(GateCheckIn, request)
        with api_write(), gate_errors("at"):
            decision = services.contact_clear(
                actor=request.user,
                case_id=data["case_id"],
                kind=data["kind"],
                party=data["party"],
                contact_point_id=data["contact_point_id"],
                at=data["at"],
                source=ContactDecision.Source.API,
                pressure=data["pressure"],
                includes_disclosure=data["includes_disclosure"],
                threatens_suit=data["threatens_suit"],
                debtor_agreed=data["debtor_agreed"],
            )
        out = ContactDecision.objects.select_related("actor", "contact_point").get(pk=decision.pk)
        return Response(DecisionOut(out).data)
