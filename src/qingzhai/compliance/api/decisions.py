"""The log of gate decisions (denied contacts first of all), one decision, and its re-explanation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance import selectors, services
from qingzhai.compliance.api.common import (
    CHANNELS,
    DecisionDetailOut,
    DecisionOut,
    EvaluationOut,
    day_end,
    day_start,
    evaluation_dict,
)
from qingzhai.compliance.policies.packs import PolicyError
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    ERR_409,
    LIST_ERRORS,
    ApiView,
    DateInputField,
    IdField,
    query,
)

TAGS = ["compliance-decisions"]


class DecisionListQuery(serializers.Serializer):
    allowed = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="false: the denied-contact log; absent: all"
    )
    case = IdField(required=False)
    channel = serializers.ChoiceField(choices=CHANNELS, required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # `from` and `to` are Python keywords, so they are added here rather than declared above.
        fields["from"] = DateInputField(required=False, help_text="Decided on or after this business date")
        fields["to"] = DateInputField(required=False, help_text="Decided on or before this business date")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start is not None and end is not None and start > end:
            raise serializers.ValidationError(
                {"to": [bi("结束日期早于开始日期", "The end date is before the start date")]}
            )
        return attrs


class ExplainOut(serializers.Serializer):
    decision = DecisionOut(help_text="The decision as stored")
    evaluation = EvaluationOut(
        help_text="The same inputs evaluated again with the pack version in force then"
    )
    matches_stored = serializers.BooleanField(
        help_text="The re-evaluation gives the stored answer: same outcome, rules, requirements and route"
    )


def _same(stored: dict[str, Any], again: dict[str, Any]) -> bool:
    def key(hits: list[dict[str, Any]]) -> list[tuple[str, str]]:
        return [(h["rule"], h["effect"]) for h in hits]

    return (
        stored["allowed"] == again["allowed"]
        and stored["pack"] == again["pack"]
        and stored["pack_version"] == again["pack_version"]
        and (stored["route"] or "") == again["route"]
        and list(stored["requirements"]) == again["requirements"]
        and key(stored["hits"]) == key(again["rules"])
    )


class DecisionListView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_decisions_list",
        tags=TAGS,
        summary="Gate decisions on the cases visible to the user, newest first (compliance.view)",
        parameters=[DecisionListQuery],
        responses={200: DecisionOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(DecisionListQuery, request)
        qs = selectors.decision_queryset(user=request.user, allowed=params["allowed"])
        if params.get("case"):
            qs = qs.filter(case_id=params["case"])
        if params.get("channel"):
            qs = qs.filter(channel=params["channel"])
        if params.get("from"):
            qs = qs.filter(decided_at__gte=day_start(params["from"]))
        if params.get("to"):
            qs = qs.filter(decided_at__lt=day_end(params["to"]))
        return self.paginated(qs, DecisionOut)


class DecisionDetailView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_decisions_retrieve",
        tags=TAGS,
        summary="One gate decision with what it was based on (compliance.view)",
        responses={200: DecisionDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(DecisionDetailOut(selectors.decision_get(user=request.user, decision_id=pk)).data)


class DecisionExplainView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_decisions_explain",
        tags=TAGS,
        summary="Evaluate a stored decision again with the pack version in force then (compliance.view)",
        description="409 `policy_pack_version_unknown` when that pack version is no longer installed.",
        responses={200: ExplainOut, **DETAIL_ERRORS, 409: ERR_409},
    )
    def get(self, request: Request, pk: int) -> Response:
        decision = selectors.decision_get(user=request.user, decision_id=pk)
        try:
            again = evaluation_dict(services.decision_explain(decision))
        except PolicyError as exc:
            raise DomainError(exc.code, exc.zh, exc.en, fields=exc.fields, status=409) from exc
        stored = {
            "allowed": decision.allowed,
            "pack": decision.pack,
            "pack_version": decision.pack_version,
            "route": decision.route,
            "requirements": decision.requirements,
            "hits": decision.hits,
        }
        return Response(
            ExplainOut(
                {"decision": decision, "evaluation": again, "matches_stored": _same(stored, again)}
            ).data
        )
