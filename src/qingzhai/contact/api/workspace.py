"""The collector's workspace over the API: the queue, the next case to call, and one-click call outcomes and
callbacks. Thin: the selectors rank and gate, the services write through the compliance gate."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance.api.common import gate_errors
from qingzhai.compliance.services import ContactDenied
from qingzhai.contact.selectors import workspace as ws
from qingzhai.contact.services import workspace as services
from qingzhai.portfolio.api.common import (
    LIST_ERRORS,
    WRITE_ERRORS,
    AmountField,
    ApiView,
    DateInputField,
    IdField,
    api_write,
    body,
    query,
)


class RefusalOut(serializers.Serializer):
    rule = serializers.CharField()
    zh = serializers.CharField()
    en = serializers.CharField()


class QueueEntryOut(serializers.Serializer):
    case_id = serializers.IntegerField(source="case.pk")
    tier = serializers.IntegerField(help_text="0 callback due, 1 promise due or broken, 2 by score")
    debtor_masked = serializers.SerializerMethodField()
    creditor = serializers.CharField(source="case.portfolio.creditor.name")
    balance_fen = serializers.IntegerField(source="case.total_balance_fen")
    max_dpd = serializers.IntegerField(source="case.max_dpd")
    next_action_date = serializers.DateField(source="case.next_action_date", allow_null=True)
    probability = serializers.FloatField(
        allow_null=True, help_text="Of the latest repayment score; null: unscored"
    )
    expected_fen = serializers.IntegerField(help_text="Balance x probability (0.5 when unscored)")
    contact_point_id = serializers.IntegerField(source="contact_point.pk", allow_null=True, default=None)
    callable = serializers.BooleanField(help_text="The gate allows a call to the debtor's number now")
    refusals = RefusalOut(many=True)

    def get_debtor_masked(self, entry: ws.QueueEntry) -> str:
        return ws.mask_name(entry.case.debtor.name)


class NextOut(serializers.Serializer):
    case = QueueEntryOut(source="entry", allow_null=True)
    skipped = QueueEntryOut(many=True, help_text="Better-ranked cases the gate refused now, with the reasons")


class QueueQuery(serializers.Serializer):
    size = serializers.IntegerField(min_value=1, max_value=50, required=False, default=ws.LIST_SIZE)


class OutcomeIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[str(o) for o in services.OUTCOMES])
    contact_point_id = IdField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=services.MAX_NOTE, required=False, allow_blank=True, default="")
    duration_seconds = serializers.IntegerField(min_value=0, max_value=86_400, required=False, default=0)
    amount = AmountField(
        required=False, allow_null=True, default=None, help_text="Promise amount (outcome promise)"
    )
    due_date = DateInputField(required=False, allow_null=True, default=None, help_text="Promise date")
    heard = serializers.ListField(
        child=serializers.CharField(max_length=500),
        max_length=services.MAX_HEARD,
        required=False,
        default=list,
        help_text="What the debtor said, line by line; stored as transcribed utterances",
    )


class OutcomeOut(serializers.Serializer):
    activity_id = serializers.IntegerField(source="activity.pk")
    outcome = serializers.CharField(source="activity.outcome")
    decision_id = serializers.IntegerField(source="decision.pk", allow_null=True)
    promise_id = serializers.IntegerField(source="promise.pk", allow_null=True, default=None)


class CallbackIn(serializers.Serializer):
    on = DateInputField()
    at_time = serializers.TimeField(required=False, allow_null=True, default=None, format="%H:%M")
    note = serializers.CharField(max_length=services.MAX_NOTE, required=False, allow_blank=True, default="")


class CallbackOut(serializers.Serializer):
    case_id = serializers.IntegerField()
    next_action_date = serializers.DateField()
    note_activity_id = serializers.IntegerField(allow_null=True)


class QueueView(ApiView):
    capabilities = {"GET": roles.WORK_CASE}
    pagination_class = None  # type: ignore[assignment]  # a ranked, bounded list (`size` at most 50), not pages of a table

    @extend_schema(
        operation_id="workspace_queue",
        tags=["workspace"],
        summary="The user's queue, best first, each case with whether the gate allows a call now",
        parameters=[QueueQuery],
        responses={200: QueueEntryOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(QueueQuery, request)
        with gate_errors("at"):
            entries = ws.queue(user=request.user, size=params["size"])
        return Response(QueueEntryOut(entries, many=True).data)


class NextView(ApiView):
    capabilities = {"GET": roles.WORK_CASE}

    @extend_schema(
        operation_id="workspace_next",
        tags=["workspace"],
        summary="The best case to call now (null when none), and the better-ranked ones the gate refused",
        responses={200: NextOut, **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        with gate_errors("at"):
            pick = ws.next_case(user=request.user)
        return Response(NextOut(pick).data)


class OutcomeView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="workspace_outcome",
        tags=["workspace"],
        summary="Log a call's outcome through the compliance gate; a promise with its amount and date",
        description=(
            "The gate is asked for a human call to the debtor now. A refusal is 409 `contact_denied` with the "
            "rule ids in `fields.rules` and the stored decision in `fields.decision_id`; nothing is logged. "
            "`dispute` opens a dispute; `wrong_number` marks the number dialled as wrong."
        ),
        request=OutcomeIn,
        responses={201: OutcomeOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = body(OutcomeIn, request)
        with api_write(), gate_errors("at"):
            try:
                recorded = services.outcome_record(
                    actor=request.user,
                    case_id=pk,
                    outcome=data["outcome"],
                    contact_point_id=data["contact_point_id"],
                    note=data["note"],
                    duration_seconds=data["duration_seconds"],
                    promise_amount_fen=data["amount"],
                    promise_date=data["due_date"],
                    heard=data["heard"],
                )
            except ContactDenied as exc:
                exc.fields = {**exc.fields, "decision_id": [str(exc.decision.pk)]}
                raise
        return Response(OutcomeOut(recorded).data, status=status.HTTP_201_CREATED)


class CallbackView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="workspace_callback",
        tags=["workspace"],
        summary="Schedule a callback: the case's next action date, the time of day as a note",
        request=CallbackIn,
        responses={201: CallbackOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = body(CallbackIn, request)
        with api_write():
            note = services.callback_schedule(
                actor=request.user, case_id=pk, on=data["on"], at_time=data["at_time"], note=data["note"]
            )
        out: dict[str, Any] = {
            "case_id": pk,
            "next_action_date": data["on"],
            "note_activity_id": note.pk if note else None,
        }
        return Response(CallbackOut(out).data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern] = [
    path("workspace/queue/", QueueView.as_view(), name="workspace-queue"),
    path("workspace/next/", NextView.as_view(), name="workspace-next"),
    path("workspace/cases/<int:pk>/outcome/", OutcomeView.as_view(), name="workspace-outcome"),
    path("workspace/cases/<int:pk>/callback/", CallbackView.as_view(), name="workspace-callback"),
]
