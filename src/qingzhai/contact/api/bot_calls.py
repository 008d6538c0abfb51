"""Bot-call API, under /api/v1/contact/bot-calls/: the calls on the cases the user may see (newest first,
by case and outcome), one call with its whole transcript, and a call run on a case from recognised text
(the telephony side delivers the debtor's lines; the gate clears the call first and every bot line is
screened before it is said). Reading needs the case to be visible; running needs cases.work."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.contact.models import BotCall
from qingzhai.contact.services.bot_calls import MAX_LINES, bot_call_run
from qingzhai.core.errors import NotFound
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    api_write,
    body,
    query,
)
from qingzhai.portfolio.selectors import case_queryset_for_user

TAGS = ["contact"]
VIEW = (roles.VIEW_ALL, roles.VIEW_ASSIGNED, roles.VIEW_OWN_CREDITOR)


class BotCallOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case_id = serializers.IntegerField()
    script_id = serializers.CharField()
    script_version = serializers.CharField()
    outcome = serializers.CharField()
    branches = serializers.ListField(child=serializers.CharField())
    emotions = serializers.ListField(child=serializers.JSONField())
    turns = serializers.IntegerField()
    blocked_lines = serializers.IntegerField()
    transcript_sha256 = serializers.CharField()
    decision_id = serializers.IntegerField(allow_null=True)
    activity_id = serializers.IntegerField(allow_null=True)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()


class BotCallDetailOut(BotCallOut):
    outcome_detail = serializers.JSONField()
    transcript = serializers.JSONField()


class BotCallQuery(serializers.Serializer):
    case = serializers.IntegerField(required=False, min_value=1)
    outcome = serializers.CharField(required=False, max_length=20)


class BotCallIn(serializers.Serializer):
    case_id = serializers.IntegerField(min_value=1)
    debtor_lines = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=500), max_length=MAX_LINES
    )
    script = serializers.CharField(max_length=60, default="standard_v2")
    contact_point_id = serializers.IntegerField(required=False, allow_null=True, default=None)


def bot_calls_visible(user: Any) -> QuerySet[BotCall]:
    return BotCall.objects.filter(case__in=case_queryset_for_user(user)).order_by("-started_at", "-id")


class BotCallListView(ApiView):
    capabilities = {"GET": VIEW, "POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="contact_bot_calls_list",
        tags=TAGS,
        summary="Bot calls on the visible cases, newest first",
        parameters=[BotCallQuery],
        responses={200: BotCallOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(BotCallQuery, request)
        qs = bot_calls_visible(request.user)
        if params.get("case"):
            qs = qs.filter(case_id=params["case"])
        if params.get("outcome"):
            qs = qs.filter(outcome=params["outcome"])
        return self.paginated(qs, BotCallOut)

    @extend_schema(
        operation_id="contact_bot_calls_create",
        tags=TAGS,
        summary="Run a bot call on a case from the debtor's recognised lines (cases.work; the gate decides)",
        request=BotCallIn,
        responses={201: BotCallDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(BotCallIn, request)
        with api_write():
            call = bot_call_run(
                actor=request.user,
                case_id=data["case_id"],
                debtor_lines=list(data["debtor_lines"]),
                script=data["script"],
                contact_point_id=data["contact_point_id"],
            )
        return Response(BotCallDetailOut(call).data, status=status.HTTP_201_CREATED)


class BotCallDetailView(ApiView):
    capabilities = {"GET": VIEW}

    @extend_schema(
        operation_id="contact_bot_calls_retrieve",
        tags=TAGS,
        summary="One bot call with its transcript (each line's emotion, intent, branch and compliance result)",
        responses={200: BotCallDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        call = bot_calls_visible(request.user).filter(pk=pk).first()
        if call is None:
            raise NotFound()
        return Response(BotCallDetailOut(call).data)


urlpatterns: list[URLPattern] = [
    path("bot-calls/", BotCallListView.as_view(), name="bot-calls"),
    path("bot-calls/<int:pk>/", BotCallDetailView.as_view(), name="bot-call"),
]
