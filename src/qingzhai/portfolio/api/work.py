"""The daily work on a case: payments (and reversals), promises to pay, activities."""

from __future__ import annotations

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance import services as compliance_services
from qingzhai.compliance.api.common import Flag, gate_errors
from qingzhai.compliance.models import ContactDecision
from qingzhai.core.errors import DomainError
from qingzhai.portfolio import selectors, services
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    AmountField,
    ApiView,
    DateInputField,
    DateTimeInputField,
    IdField,
    UserRefSerializer,
    api_write,
    body,
    get_visible,
    money_fields,
    query,
)
from qingzhai.portfolio.models import Activity, Payment, PromiseToPay

# --- payments --------------------------------------------------------------------------------------


class PaymentOut(serializers.Serializer):
    id = serializers.IntegerField()
    debt_id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    contract_no = serializers.CharField(source="debt.contract_no")
    locals().update(money_fields("amount", "fee", "interest", "penalty", "principal", "unapplied"))
    paid_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    reference = serializers.CharField()
    note = serializers.CharField()
    reversal_of = serializers.IntegerField(
        source="reversal_of_id", allow_null=True, help_text="Set on a reversal row: the payment it undoes"
    )
    reversed_by = serializers.IntegerField(
        source="reversed_by_id", allow_null=True, help_text="Set on a reversed payment: its reversal row"
    )
    recorded_by = UserRefSerializer(allow_null=True)
    recorded_at = serializers.DateTimeField()


class PaymentIn(serializers.Serializer):
    debt_id = IdField()
    amount = AmountField()
    paid_on = DateInputField()
    method = serializers.ChoiceField(choices=Payment.Method.choices, default=Payment.Method.BANK_TRANSFER)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PaymentListQuery(serializers.Serializer):
    case = IdField(required=False)
    debt = IdField(required=False)


def payments_for(user: object) -> QuerySet[Payment]:
    return (
        selectors.payment_queryset_for_user(user)
        .select_related("recorded_by")
        .annotate(reversed_by_id=F("reversed_by__id"))
        .order_by("-paid_on", "-id")
    )


class PaymentListView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="payments_list",
        tags=["payments"],
        summary="Payments on the cases visible to the user, newest first",
        parameters=[PaymentListQuery],
        responses={200: PaymentOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(PaymentListQuery, request)
        qs = payments_for(request.user)
        if params.get("case"):
            qs = qs.filter(case_id=params["case"])
        if params.get("debt"):
            qs = qs.filter(debt_id=params["debt"])
        return self.paginated(qs, PaymentOut)

    @extend_schema(
        operation_id="payments_create",
        tags=["payments"],
        summary="Record a payment; it is allocated to the debt's balances (cases.work)",
        request=PaymentIn,
        responses={201: PaymentOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(PaymentIn, request)
        with api_write():
            payment = services.payment_record(
                actor=request.user,
                debt_id=data["debt_id"],
                amount_fen=data["amount"],
                paid_on=data["paid_on"],
                method=data["method"],
                reference=data["reference"],
                note=data["note"],
            )
        out = payments_for(request.user).get(pk=payment.pk)
        return Response(PaymentOut(out).data, status=status.HTTP_201_CREATED)


class PaymentDetailView(ApiView):
    @extend_schema(
        operation_id="payments_retrieve",
        tags=["payments"],
        responses={200: PaymentOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PaymentOut(get_visible(payments_for(request.user), pk)).data)


class PaymentReverseView(ApiView):
    capabilities = {"POST": roles.REVERSE_PAYMENT}

    @extend_schema(
        operation_id="payments_reverse",
        tags=["payments"],
        summary="Reverse a payment with a reversing row (payments.reverse; reason required)",
        request=ReasonIn,
        responses={201: PaymentOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        get_visible(payments_for(request.user), pk)
        data = body(ReasonIn, request)
        with api_write():
            reversal = services.payment_reverse(actor=request.user, payment_id=pk, reason=data["reason"])
        out = payments_for(request.user).get(pk=reversal.pk)
        return Response(PaymentOut(out).data, status=status.HTTP_201_CREATED)


# --- promises to pay -------------------------------------------------------------------------------


class PromiseOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    locals().update(money_fields("amount", "paid"))
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=PromiseToPay.Status.choices)
    note = serializers.CharField()
    created_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class PromiseIn(serializers.Serializer):
    case_id = IdField()
    amount = AmountField()
    due_date = DateInputField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PromiseListQuery(serializers.Serializer):
    case = IdField(required=False)
    status = serializers.ChoiceField(choices=PromiseToPay.Status.choices, required=False)


def promises_for(user: object) -> QuerySet[PromiseToPay]:
    return selectors.promise_queryset_for_user(user).select_related("created_by").order_by("-due_date", "-id")


class PromiseListView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="promises_list",
        tags=["promises"],
        summary="Promises to pay on the cases visible to the user",
        parameters=[PromiseListQuery],
        responses={200: PromiseOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(PromiseListQuery, request)
        qs = promises_for(request.user)
        if params.get("case"):
            qs = qs.filter(case_id=params["case"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return self.paginated(qs, PromiseOut)

    @extend_schema(
        operation_id="promises_create",
        tags=["promises"],
        summary="Record a promise to pay (cases.work)",
        request=PromiseIn,
        responses={201: PromiseOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(PromiseIn, request)
        with api_write():
            promise = services.promise_create(
                actor=request.user,
                case_id=data["case_id"],
                amount_fen=data["amount"],
                due_date=data["due_date"],
                note=data["note"],
            )
        out = promises_for(request.user).get(pk=promise.pk)
        return Response(PromiseOut(out).data, status=status.HTTP_201_CREATED)


class PromiseDetailView(ApiView):
    @extend_schema(
        operation_id="promises_retrieve",
        tags=["promises"],
        responses={200: PromiseOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PromiseOut(get_visible(promises_for(request.user), pk)).data)


class PromiseCancelView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="promises_cancel",
        tags=["promises"],
        summary="Cancel an open promise (cases.work; reason required)",
        request=ReasonIn,
        responses={200: PromiseOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        get_visible(promises_for(request.user), pk)
        data = body(ReasonIn, request)
        with api_write():
            services.promise_cancel(actor=request.user, promise_id=pk, reason=data["reason"])
        return Response(PromiseOut(promises_for(request.user).get(pk=pk)).data)


# --- activities ------------------------------------------------------------------------------------


class ActivityOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    party = serializers.ChoiceField(choices=Activity.Party.choices)
    outcome = serializers.ChoiceField(choices=Activity.Outcome.choices)
    contact_point_id = serializers.IntegerField(allow_null=True)
    contact_point_masked = serializers.CharField(
        source="contact_point.value_masked", allow_null=True, default=None
    )
    occurred_at = serializers.DateTimeField()
    duration_seconds = serializers.IntegerField()
    note = serializers.CharField()
    actor = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class ActivityIn(serializers.Serializer):
    case_id = IdField()
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    outcome = serializers.ChoiceField(choices=Activity.Outcome.choices)
    party = serializers.ChoiceField(choices=Activity.Party.choices, default=Activity.Party.DEBTOR)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    occurred_at = DateTimeInputField(required=False, allow_null=True, default=None)
    duration_seconds = serializers.IntegerField(min_value=0, max_value=86_400, required=False, default=0)
    contact_point_id = IdField(required=False, allow_null=True, default=None)
    decision_id = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="An allowed, unused gate decision (POST /api/v1/compliance/gate/check/) for this contact, "
        "asked for within 15 minutes of occurred_at; without one the gate is asked now",
    )
    pressure = Flag(
        True, help_text="The contact pressed for payment; false for a purely informational message"
    )
    includes_disclosure = Flag(False, help_text="The message carried the time-barred-debt disclosure")
    debtor_agreed = Flag(False, help_text="The debtor asked for this contact (e.g. a call-back)")


class ActivityListQuery(serializers.Serializer):
    case = IdField(required=False)
    kind = serializers.ChoiceField(choices=Activity.Kind.choices, required=False)


def activities_for(user: object) -> QuerySet[Activity]:
    return (
        selectors.activity_queryset_for_user(user)
        .select_related("contact_point")
        .order_by("-occurred_at", "-id")
    )


class ActivityListView(ApiView):
    capabilities = {"POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="activities_list",
        tags=["activities"],
        summary="Calls, SMS, letters, visits and notes on the cases visible to the user",
        parameters=[ActivityListQuery],
        responses={200: ActivityOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(ActivityListQuery, request)
        qs = activities_for(request.user)
        if params.get("case"):
            qs = qs.filter(case_id=params["case"])
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        return self.paginated(qs, ActivityOut)

    @extend_schema(
        operation_id="activities_create",
        tags=["activities"],
        summary="Log an activity on a case (cases.work); outbound contacts pass the compliance gate",
        description=(
            "Calls, bot calls, SMS, e-mail, letters and visits are outbound contacts: they are logged only when "
            "the compliance gate allows them, either through `decision_id` or by asking the gate for "
            "`occurred_at` now. A refusal is 409 `contact_denied` with the rule ids in `fields.rules` and the "
            "stored decision in `fields.decision_id`; nothing is logged. Notes go straight in."
        ),
        request=ActivityIn,
        responses={201: ActivityOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(ActivityIn, request)
        with api_write(), gate_errors("occurred_at"):
            try:
                activity = compliance_services.contact_log(
                    actor=request.user, source=ContactDecision.Source.API, **data
                )
            except compliance_services.ContactDenied as exc:
                exc.fields = {**exc.fields, "decision_id": [str(exc.decision.pk)]}
                raise
            except DomainError as exc:
                if "decision" in exc.fields:  # the service names it `decision`; the input is `decision_id`
                    exc.fields = {("decision_id" if k == "decision" else k): v for k, v in exc.fields.items()}
                raise
        out = activities_for(request.user).get(pk=activity.pk)
        return Response(ActivityOut(out).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(ApiView):
    @extend_schema(
        operation_id="activities_retrieve",
        tags=["activities"],
        responses={200: ActivityOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ActivityOut(get_visible(activities_for(request.user), pk)).data)
