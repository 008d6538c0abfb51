"""Alerts raised by violating utterances: the list for supervisors and compliance, one alert with its
history, and the actions that move it on (acknowledge, coach, escalate, close)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance import selectors, services
from qingzhai.compliance.api.utterances import UtteranceOut
from qingzhai.compliance.models import Alert
from qingzhai.compliance.services.screening import ALERT_FLOW
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    IdField,
    UserRefSerializer,
    api_write,
    body,
    query,
)

TAGS = ["compliance-alerts"]
STATUS_FILTERS = ["active", *Alert.Status.values]


class AlertActionOut(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=sorted(ALERT_FLOW))
    from_status = serializers.ChoiceField(choices=Alert.Status.choices)
    to_status = serializers.ChoiceField(choices=Alert.Status.choices)
    note = serializers.CharField()
    actor = UserRefSerializer(allow_null=True)
    at = serializers.DateTimeField()


class AlertOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    debtor_name = serializers.CharField(source="case.debtor.name")
    collector = UserRefSerializer(allow_null=True, help_text="Who said it; null for a bot")
    severity = serializers.ChoiceField(choices=["high", "medium", "low"])
    categories = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=Alert.Status.choices)
    text = serializers.CharField(source="utterance.text")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AlertDetailOut(AlertOut):
    utterance = UtteranceOut()
    actions = AlertActionOut(many=True, source="actions.all")


class AlertListQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=STATUS_FILTERS, required=False, help_text="`active`: every status but closed"
    )
    since_id = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, required=False, help_text="Only alerts with a greater id (polling)"
    )
    case = IdField(required=False)


class AlertActionIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(ALERT_FLOW))
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to coach/escalate/close",
    )


class AlertListView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_alerts_list",
        tags=TAGS,
        summary="Alerts on the cases visible to the user, newest first (compliance.view)",
        parameters=[AlertListQuery],
        responses={200: AlertOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(AlertListQuery, request)
        qs = selectors.alert_queryset(
            user=request.user, status=params.get("status", ""), since_id=params.get("since_id")
        )
        if params.get("case"):
            qs = qs.filter(case_id=params["case"])
        return self.paginated(qs, AlertOut)


class AlertDetailView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_alerts_retrieve",
        tags=TAGS,
        summary="One alert with its utterance and the actions taken on it (compliance.view)",
        responses={200: AlertDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(AlertDetailOut(selectors.alert_get(user=request.user, alert_id=pk)).data)


class AlertActView(ApiView):
    capabilities = {"POST": roles.COMPLIANCE_ALERTS}

    @extend_schema(
        operation_id="compliance_alerts_act",
        tags=TAGS,
        summary="Acknowledge, coach, escalate or close an alert (compliance.alerts)",
        description="409 `alert_transition` when the alert's status does not allow the action.",
        request=AlertActionIn,
        responses={200: AlertDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        selectors.alert_get(user=request.user, alert_id=pk)
        data = body(AlertActionIn, request)
        with api_write():
            services.alert_act(actor=request.user, alert_id=pk, action=data["action"], note=data["note"])
        return Response(AlertDetailOut(selectors.alert_get(user=request.user, alert_id=pk)).data)
