"""Creditors and portfolios (placement batches)."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.portfolio import selectors, services
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    CreditorRefSerializer,
    DateInputField,
    IdField,
    api_write,
    body,
    get_visible,
    query,
)
from qingzhai.portfolio.models import Creditor

TAG_CREDITORS = ["creditors"]
TAG_PORTFOLIOS = ["portfolios"]


# --- creditors -------------------------------------------------------------------------------------


class CreditorOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=Creditor.Kind.choices)
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class CreditorIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=Creditor.Kind.choices, default=Creditor.Kind.BANK)


class CreditorListQuery(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, help_text="Name or code contains")


class CreditorListView(ApiView):
    capabilities = {"POST": roles.MANAGE_REFERENCE}

    @extend_schema(
        operation_id="creditors_list",
        tags=TAG_CREDITORS,
        summary="Creditors visible to the user",
        parameters=[CreditorListQuery],
        responses={200: CreditorOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(CreditorListQuery, request)
        qs = selectors.creditor_queryset_for_user(request.user)
        term = params.get("q", "")
        if term:
            qs = qs.filter(Q(name__icontains=term) | Q(code__icontains=term))
        return self.paginated(qs.order_by("name", "id"), CreditorOut)

    @extend_schema(
        operation_id="creditors_create",
        tags=TAG_CREDITORS,
        summary="Create a creditor (reference.manage)",
        request=CreditorIn,
        responses={201: CreditorOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(CreditorIn, request)
        with api_write():
            creditor = services.creditor_create(actor=request.user, **data)
        return Response(CreditorOut(creditor).data, status=status.HTTP_201_CREATED)


class CreditorDetailView(ApiView):
    @extend_schema(
        operation_id="creditors_retrieve",
        tags=TAG_CREDITORS,
        responses={200: CreditorOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        creditor = get_visible(selectors.creditor_queryset_for_user(request.user), pk)
        return Response(CreditorOut(creditor).data)


# --- portfolios ------------------------------------------------------------------------------------


class PortfolioOut(serializers.Serializer):
    id = serializers.IntegerField()
    creditor = CreditorRefSerializer()
    code = serializers.CharField()
    name = serializers.CharField()
    placement_date = serializers.DateField()
    recall_date = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()


class PortfolioIn(serializers.Serializer):
    creditor_id = IdField()
    code = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    placement_date = DateInputField()
    recall_date = DateInputField(required=False, allow_null=True, default=None)


class PortfolioListQuery(serializers.Serializer):
    creditor = IdField(required=False, help_text="Creditor id")


class PortfolioListView(ApiView):
    capabilities = {"POST": roles.MANAGE_REFERENCE}

    @extend_schema(
        operation_id="portfolios_list",
        tags=TAG_PORTFOLIOS,
        summary="Portfolios visible to the user",
        parameters=[PortfolioListQuery],
        responses={200: PortfolioOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(PortfolioListQuery, request)
        qs = selectors.portfolio_queryset_for_user(request.user)
        if params.get("creditor"):
            qs = qs.filter(creditor_id=params["creditor"])
        return self.paginated(qs.order_by("-placement_date", "code", "id"), PortfolioOut)

    @extend_schema(
        operation_id="portfolios_create",
        tags=TAG_PORTFOLIOS,
        summary="Create a portfolio (reference.manage)",
        request=PortfolioIn,
        responses={201: PortfolioOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(PortfolioIn, request)
        creditor = get_visible(selectors.creditor_queryset_for_user(request.user), data.pop("creditor_id"))
        with api_write():
            portfolio = services.portfolio_create(actor=request.user, creditor=creditor, **data)
        return Response(PortfolioOut(portfolio).data, status=status.HTTP_201_CREATED)


class PortfolioDetailView(ApiView):
    @extend_schema(
        operation_id="portfolios_retrieve",
        tags=TAG_PORTFOLIOS,
        responses={200: PortfolioOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        portfolio = get_visible(selectors.portfolio_queryset_for_user(request.user), pk)
        return Response(PortfolioOut(portfolio).data)
