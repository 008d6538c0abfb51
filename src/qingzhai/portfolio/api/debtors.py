"""Debtors: masked personal data by default; plaintext one value at a time, with a reason, audited."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.core import pii
from qingzhai.core.errors import DomainError
from qingzhai.portfolio import selectors, services
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    ContactPointSerializer,
    IdField,
    api_write,
    body,
    get_visible,
    query,
)
from qingzhai.portfolio.models import ContactPoint, Debtor

TAGS = ["debtors"]


class DebtorOut(serializers.Serializer):
    id = serializers.IntegerField()
    creditor_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Debtor.Kind.choices)
    name = serializers.CharField()
    id_number_masked = serializers.CharField(help_text="PRC ID number or USCC, masked")
    home_address_masked = serializers.CharField()
    work_address_masked = serializers.CharField()
    employer = serializers.CharField()
    timezone = serializers.CharField()
    contact_points = ContactPointSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class BankAccountOut(serializers.Serializer):
    id = serializers.IntegerField()
    bank_name = serializers.CharField()
    account_masked = serializers.CharField()


class DebtorCaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    portfolio_id = serializers.IntegerField()
    stage = serializers.CharField()
    bucket = serializers.CharField()


class DebtorDetailOut(DebtorOut):
    bank_accounts = BankAccountOut(many=True)
    cases = DebtorCaseOut(many=True, source="visible_cases", help_text="The cases visible to the user")


class DebtorListQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Name contains, or exact ID number / USCC (matched through the blind index)",
    )
    creditor = IdField(required=False)
    kind = serializers.ChoiceField(choices=Debtor.Kind.choices, required=False)


REVEAL_FIELDS = {
    "id_number": ("debtor", "id_number"),
    "home_address": ("debtor", "home_address"),
    "work_address": ("debtor", "work_address"),
    "phone": ("contact_point", "value"),
}


class RevealIn(serializers.Serializer):
    field = serializers.ChoiceField(choices=sorted(REVEAL_FIELDS))
    contact_point_id = IdField(required=False, allow_null=True, help_text="Required when field is phone")
    reason = serializers.CharField(max_length=500, help_text="Why the plaintext is needed (audited)")

    def validate(self, attrs: dict) -> dict:
        if attrs["field"] == "phone" and not attrs.get("contact_point_id"):
            raise serializers.ValidationError({"contact_point_id": ["required for field=phone"]})
        return attrs


class RevealOut(serializers.Serializer):
    debtor_id = serializers.IntegerField()
    field = serializers.CharField()
    contact_point_id = serializers.IntegerField(allow_null=True)
    value = serializers.CharField(help_text="The plaintext; the reveal is recorded in the audit trail")


class DebtorListView(ApiView):
    @extend_schema(
        operation_id="debtors_list",
        tags=TAGS,
        summary="Debtors of the cases visible to the user (personal data masked)",
        parameters=[DebtorListQuery],
        responses={200: DebtorOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(DebtorListQuery, request)
        qs = selectors.debtor_queryset_for_user(request.user).prefetch_related("contact_points")
        if params.get("creditor"):
            qs = qs.filter(creditor_id=params["creditor"])
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        term = params.get("q", "")
        if term:
            qs = qs.filter(Q(name__icontains=term) | Q(id_number_bidx=pii.lookup_index("id_number", term)))
        return self.paginated(qs.order_by("id"), DebtorOut)


class DebtorDetailView(ApiView):
    @extend_schema(
        operation_id="debtors_retrieve",
        tags=TAGS,
        summary="One debtor (personal data masked)",
        responses={200: DebtorDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        qs = selectors.debtor_queryset_for_user(request.user).prefetch_related(
            "contact_points",
            "bank_accounts",
            Prefetch(
                "cases",
                queryset=selectors.case_queryset_for_user(request.user).order_by("id"),
                to_attr="visible_cases",
            ),
        )
        return Response(DebtorDetailOut(get_visible(qs, pk)).data)


class DebtorRevealView(ApiView):
    capabilities = {"POST": roles.REVEAL_PII}

    @extend_schema(
        operation_id="debtors_reveal",
        tags=TAGS,
        summary="Reveal one personal-data value in plaintext (pii.reveal; reason required; audited)",
        request=RevealIn,
        responses={200: RevealOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        debtor = get_visible(selectors.debtor_queryset_for_user(request.user), pk)
        data = body(RevealIn, request)
        kind, attr = REVEAL_FIELDS[data["field"]]
        object_id = debtor.pk
        contact_point_id = None
        if kind == "contact_point":
            contact_point = ContactPoint.objects.filter(
                pk=data["contact_point_id"], debtor_id=debtor.pk
            ).first()
            if contact_point is None:
                raise DomainError(
                    "not_found",
                    "该债务人没有这个联系方式",
                    "This debtor has no such contact point",
                    fields={"contact_point_id": [str(data["contact_point_id"])]},
                    status=404,
                )
            object_id = contact_point_id = contact_point.pk
        with api_write():
            value = services.pii_reveal(
                actor=request.user, kind=kind, object_id=object_id, attr=attr, reason=data["reason"]
            )
        out = RevealOut(
            {
                "debtor_id": debtor.pk,
                "field": data["field"],
                "contact_point_id": contact_point_id,
                "value": value,
            }
        )
        response = Response(out.data)
        response["Cache-Control"] = "no-store"
        return response
