"""Campaign API, under /api/v1/contact/: list and create campaigns (contact.campaign_view / _manage),
one campaign with its progress and results, its messages (paginated, by status), the control actions
(plan, start, pause, resume, cancel), and the gateways' callbacks for delivery receipts and replies
(authenticated by the shared token in `X-Callback-Token`, QINGZHAI_CONTACT_CALLBACK_TOKEN)."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qingzhai.accounts import roles
from qingzhai.contact.channel_settings import channel_settings
from qingzhai.contact.channels.base import CHANNELS, ChannelError, channel_for
from qingzhai.contact.models import Campaign, CampaignMessage
from qingzhai.contact.selectors.campaigns import (
    campaign_get,
    campaign_list,
    campaign_progress,
    campaign_results,
)
from qingzhai.contact.services import campaign_send
from qingzhai.contact.services import campaigns as svc
from qingzhai.core.errors import DomainError
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    api_write,
    body,
    query,
)

TAGS = ["contact"]
ACTIONS = {"plan": "plan_start", "start": "start", "pause": "pause", "resume": "resume", "cancel": "cancel"}


class CampaignStepIn(serializers.Serializer):
    channel = serializers.ChoiceField(choices=list(CHANNELS), required=False)
    template_id = serializers.CharField(max_length=60)
    offset_hours = serializers.IntegerField(min_value=0, default=0)


class CampaignIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    steps = CampaignStepIn(many=True)
    filters = serializers.DictField(required=False, default=dict)
    start = serializers.DateTimeField(required=False, allow_null=True, default=None)
    window_hours = serializers.IntegerField(min_value=1, max_value=744, default=72)
    per_hour = serializers.DictField(child=serializers.IntegerField(), required=False, default=dict)
    hotline = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    pay_by_days = serializers.IntegerField(min_value=1, max_value=90, default=7)
    result_days = serializers.IntegerField(min_value=1, max_value=90, default=7)


class CampaignOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    status = serializers.CharField()
    filters = serializers.DictField()
    steps = serializers.ListField(child=serializers.DictField())
    per_hour = serializers.DictField()
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()
    cases_total = serializers.IntegerField()
    messages_total = serializers.IntegerField()
    refused_total = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class CampaignProgressOut(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.FloatField()


class CampaignResultsOut(serializers.Serializer):
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    replied = serializers.IntegerField()
    opted_out = serializers.IntegerField()
    complaint_replies = serializers.IntegerField()
    failed = serializers.IntegerField()
    denied = serializers.IntegerField()
    refused = serializers.IntegerField()
    cases_reached = serializers.IntegerField()
    promised_cases = serializers.IntegerField()
    paid_cases = serializers.IntegerField()
    paid_fen = serializers.IntegerField()
    disputes = serializers.IntegerField()
    days = serializers.IntegerField()
    first_sent_at = serializers.DateTimeField(allow_null=True)
    by_channel = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))


class CampaignDetailOut(CampaignOut):
    progress = CampaignProgressOut()
    results = CampaignResultsOut()


class CampaignMessageOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case_id = serializers.IntegerField()
    step = serializers.IntegerField()
    channel = serializers.CharField()
    template_id = serializers.CharField()
    contact_point_id = serializers.IntegerField(allow_null=True)
    to_masked = serializers.SerializerMethodField()
    scheduled_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    rules = serializers.ListField(child=serializers.CharField())
    body_sha256 = serializers.CharField()
    provider_id = serializers.CharField()
    attempts = serializers.IntegerField()
    error_code = serializers.CharField()
    decision_id = serializers.IntegerField(allow_null=True)
    activity_id = serializers.IntegerField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    reply_intent = serializers.CharField()

    def get_to_masked(self, obj: CampaignMessage) -> str:
        return obj.contact_point.value_masked if obj.contact_point else ""


class CampaignMessageQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=CampaignMessage.Status.values, required=False)


class CampaignActionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


def _detail(campaign: Campaign) -> dict[str, Any]:
    data = dict(CampaignOut(campaign).data)
    data["progress"] = campaign_progress(campaign)
    data["results"] = campaign_results(campaign)
    data["results"] = CampaignResultsOut(data["results"]).data
    return data


class CampaignListView(ApiView):
    capabilities = {"GET": roles.CAMPAIGN_VIEW, "POST": roles.CAMPAIGN_MANAGE}

    @extend_schema(
        operation_id="contact_campaigns_list",
        tags=TAGS,
        summary="Reminder campaigns, newest first (contact.campaign_view)",
        responses={200: CampaignOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self.paginated(campaign_list(user=request.user), CampaignOut)

    @extend_schema(
        operation_id="contact_campaigns_create",
        tags=TAGS,
        summary="Create a campaign: filters, steps (channel, template, hours after the start), window, capacity "
        "(contact.campaign_manage)",
        request=CampaignIn,
        responses={201: CampaignDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(CampaignIn, request)
        with api_write():
            campaign = svc.campaign_create(
                actor=request.user,
                name=data["name"],
                steps=[dict(s) for s in data["steps"]],
                filters=dict(data["filters"]),
                start=data["start"],
                window_hours=data["window_hours"],
                per_hour=dict(data["per_hour"]),
                hotline=data["hotline"],
                pay_by_days=data["pay_by_days"],
                result_days=data["result_days"],
            )
        return Response(_detail(campaign), status=status.HTTP_201_CREATED)


class CampaignDetailView(ApiView):
    capabilities = {"GET": roles.CAMPAIGN_VIEW}

    @extend_schema(
        operation_id="contact_campaigns_retrieve",
        tags=TAGS,
        summary="One campaign with its progress and results (contact.campaign_view)",
        responses={200: CampaignDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(campaign_get(user=request.user, campaign_id=pk)))


class CampaignMessagesView(ApiView):
    capabilities = {"GET": roles.CAMPAIGN_VIEW}

    @extend_schema(
        operation_id="contact_campaigns_messages",
        tags=TAGS,
        summary="A campaign's messages in order, optionally of one status (contact.campaign_view)",
        parameters=[CampaignMessageQuery],
        responses={200: CampaignMessageOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        campaign = campaign_get(user=request.user, campaign_id=pk)
        params = query(CampaignMessageQuery, request)
        qs = CampaignMessage.objects.filter(campaign=campaign).select_related("contact_point").order_by("id")
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return self.paginated(qs, CampaignMessageOut)


class CampaignActionView(ApiView):
    capabilities = {"POST": roles.CAMPAIGN_MANAGE}

    @extend_schema(
        operation_id="contact_campaigns_action",
        tags=TAGS,
        summary="Plan, start, pause, resume or cancel a campaign (contact.campaign_manage)",
        request=CampaignActionIn,
        responses={200: CampaignDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        if action not in ACTIONS:
            raise DomainError(
                "invalid_choice", "未知操作", "Unknown action", fields={"action": [action]}, status=404
            )
        data = body(CampaignActionIn, request)
        campaign = campaign_get(user=request.user, campaign_id=pk)
        service = getattr(svc, f"campaign_{ACTIONS[action]}")
        extra = {"reason": data["reason"]} if action in ("pause", "cancel") else {}
        with api_write():
            service(actor=request.user, campaign_id=campaign.pk, **extra)
        campaign.refresh_from_db()
        return Response(_detail(campaign))


# --- gateway callbacks ----------------------------------------------------------------------------


class CallbackToken(permissions.BasePermission):
    """A gateway proves itself with the shared token; without a configured token nothing is accepted."""

    def has_permission(self, request: Request, view: Any) -> bool:
        expected = str(getattr(settings, "QINGZHAI_CONTACT_CALLBACK_TOKEN", "") or "")
        given = request.headers.get("X-Callback-Token", "")
        return bool(expected) and hmac.compare_digest(expected, given)


class CallbackAcceptedOut(serializers.Serializer):
    accepted = serializers.IntegerField()


def _channel(name: str) -> Any:
    if name not in CHANNELS:
        raise DomainError(
            "invalid_choice", "未知渠道", "Unknown channel", fields={"channel": [name]}, status=404
        )
    try:
        return channel_for(name, channel_settings())
    except ChannelError as exc:
        raise DomainError(exc.code, exc.zh, exc.en, fields={exc.field: [exc.en]}, status=503) from exc


def _items(request: Request) -> list[Any]:
    data = request.data
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        raise DomainError(
            "invalid", "回调内容应为 JSON 对象或数组", "The callback must be a JSON object or array"
        )
    return items


class _CallbackView(APIView):
    """A gateway's callback: one JSON object or an array, read by the channel adapter's `parser` method,
    then recorded by `recorder`."""

    authentication_classes: list[Any] = []
    permission_classes = [CallbackToken]
    parser = "parse_receipt"
    recorder: Any = None

    def post(self, request: Request, channel: str) -> Response:
        adapter = _channel(channel)
        try:
            items = [getattr(adapter, self.parser)(item) for item in _items(request)]
        except ChannelError as exc:
            raise DomainError(exc.code, exc.zh, exc.en, fields={exc.field: [exc.en]}) from exc
        return Response({"accepted": type(self).recorder(channel, items)})


def _record_receipts(channel: str, receipts: list[Any]) -> int:
    return campaign_send.campaign_receipts_record(channel=channel, receipts=receipts)


def _record_replies(channel: str, replies: list[Any]) -> int:
    return sum(
        1 for r in replies if campaign_send.campaign_reply_record(channel=channel, reply=r) is not None
    )


@extend_schema(
    operation_id="contact_receipts_create",
    tags=TAGS,
    summary="Delivery receipts from a channel's gateway (X-Callback-Token)",
    request={"application/json": OpenApiTypes.OBJECT},
    responses={200: CallbackAcceptedOut, **WRITE_ERRORS},
)
class ReceiptCallbackView(_CallbackView):
    parser = "parse_receipt"
    recorder = staticmethod(_record_receipts)


@extend_schema(
    operation_id="contact_replies_create",
    tags=TAGS,
    summary="Replies (mobile-originated messages) from a channel's gateway (X-Callback-Token)",
    request={"application/json": OpenApiTypes.OBJECT},
    responses={200: CallbackAcceptedOut, **WRITE_ERRORS},
)
class ReplyCallbackView(_CallbackView):
    parser = "parse_reply"
    recorder = staticmethod(_record_replies)


urlpatterns: list[URLPattern] = [
    path("campaigns/", CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<int:pk>/", CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/messages/", CampaignMessagesView.as_view(), name="campaign-messages"),
    path("campaigns/<int:pk>/<str:action>/", CampaignActionView.as_view(), name="campaign-action"),
    path("receipts/<str:channel>/", ReceiptCallbackView.as_view(), name="receipts"),
    path("replies/<str:channel>/", ReplyCallbackView.as_view(), name="replies"),
]
