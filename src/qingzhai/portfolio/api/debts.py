"""Debts: balances in integer fen and as decimal strings in yuan."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.portfolio import selectors
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    ApiView,
    IdField,
    get_visible,
    money_fields,
    query,
)
from qingzhai.portfolio.models import Debt

TAGS = ["debts"]


class DebtOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    creditor_id = serializers.IntegerField()
    contract_no = serializers.CharField()
    product = serializers.CharField()
    currency = serializers.CharField()
    locals().update(money_fields("original_principal", "principal", "interest", "penalty", "fee", "balance"))
    contract_date = serializers.DateField(allow_null=True)
    annual_rate = serializers.DecimalField(
        max_digits=7, decimal_places=4, allow_null=True, help_text="Percent per year"
    )
    due_date = serializers.DateField(allow_null=True)
    overdue_since = serializers.DateField(allow_null=True)
    dpd = serializers.IntegerField(help_text="Days past due")
    dpd_as_of = serializers.DateField(allow_null=True)
    bucket = serializers.CharField()
    allocation_order = serializers.CharField()
    status = serializers.ChoiceField(choices=Debt.Status.choices)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class InstalmentOut(serializers.Serializer):
    seq = serializers.IntegerField()
    due_date = serializers.DateField()
    locals().update(money_fields("amount", "paid"))


class GuarantorOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number_masked = serializers.CharField()
    phone_masked = serializers.CharField()
    contact_allowed = serializers.BooleanField()


class BucketHistoryOut(serializers.Serializer):
    as_of = serializers.DateField()
    dpd = serializers.IntegerField()
    bucket = serializers.CharField()


class DebtDetailOut(DebtOut):
    instalments = InstalmentOut(many=True)
    guarantors = GuarantorOut(many=True)
    bucket_history = BucketHistoryOut(many=True)


class DebtListQuery(serializers.Serializer):
    case = IdField(required=False)
    creditor = IdField(required=False)
    status = serializers.ChoiceField(choices=Debt.Status.choices, required=False)
    contract_no = serializers.CharField(required=False, max_length=64, help_text="Contract no. contains")


def debts_for(user: object) -> QuerySet[Debt]:
    return selectors.debt_queryset_for_user(user).order_by("id")


class DebtListView(ApiView):
    @extend_schema(
        operation_id="debts_list",
        tags=TAGS,
        summary="Debts of the cases visible to the user",
        parameters=[DebtListQuery],
        responses={200: DebtOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(DebtListQuery, request)
        qs = debts_for(request.user)
        if params.get("case"):
            qs = qs.filter(case_id=params["case"])
        if params.get("creditor"):
            qs = qs.filter(creditor_id=params["creditor"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("contract_no"):
            qs = qs.filter(contract_no__icontains=params["contract_no"])
        return self.paginated(qs, DebtOut)


class DebtDetailView(ApiView):
    @extend_schema(
        operation_id="debts_retrieve",
        tags=TAGS,
        summary="One debt with instalments, guarantors (masked) and bucket history",
        responses={200: DebtDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        qs = debts_for(request.user).prefetch_related("instalments", "guarantors", "bucket_history")
        return Response(DebtDetailOut(get_visible(qs, pk)).data)
