"""Utterance screening: a collector's typed sentence or a call transcript is screened as it arrives; a bot's
sentence is screened before it is sent."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.accounts.roles import Role
from qingzhai.compliance import services
from qingzhai.compliance.models import Utterance
from qingzhai.compliance.services.screening import MAX_TEXT
from qingzhai.portfolio.api.common import (
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    IdField,
    UserRefSerializer,
    api_write,
    body,
    query,
)
from qingzhai.portfolio.selectors import case_queryset_for_user

TAGS = ["compliance-screening"]
LANGS = ["zh", "en"]


class ViolationOut(serializers.Serializer):
    category = serializers.CharField(help_text="e.g. threat, insult, false_claim, disclosure")
    rule = serializers.CharField()
    span = serializers.ListField(
        child=serializers.IntegerField(), min_length=2, max_length=2, help_text="[start, end) in `text`"
    )
    severity = serializers.ChoiceField(choices=["high", "medium", "low"])
    matched = serializers.CharField(help_text="The words that matched, as written")


class UtteranceOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    speaker = serializers.ChoiceField(choices=Utterance.Speaker.choices)
    source = serializers.ChoiceField(choices=Utterance.Source.choices)  # type: ignore[assignment]
    author = UserRefSerializer(allow_null=True)
    text = serializers.CharField()
    lang = serializers.CharField()
    violations = ViolationOut(many=True)
    blocked = serializers.BooleanField(help_text="A bot's sentence that was not sent")
    screener_version = serializers.CharField()
    alert_id = serializers.SerializerMethodField(help_text="The alert raised by this utterance, if any")
    created_at = serializers.DateTimeField()

    def get_alert_id(self, utterance: Utterance) -> int | None:
        alert = getattr(utterance, "alert", None)  # a missing reverse one-to-one raises AttributeError
        return alert.pk if alert is not None else None


class UtteranceIn(serializers.Serializer):
    case_id = IdField()
    text = serializers.CharField(max_length=MAX_TEXT)
    speaker = serializers.ChoiceField(
        choices=[Utterance.Speaker.COLLECTOR, Utterance.Speaker.DEBTOR], default=Utterance.Speaker.COLLECTOR
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[Utterance.Source.TYPED, Utterance.Source.TRANSCRIPT], default=Utterance.Source.TYPED
    )
    lang = serializers.ChoiceField(
        choices=LANGS, required=False, allow_blank=True, default="", help_text="Detected when absent"
    )


class UtteranceListQuery(serializers.Serializer):
    case = IdField(required=False)
    speaker = serializers.ChoiceField(choices=Utterance.Speaker.choices, required=False)
    violating = serializers.BooleanField(required=False, allow_null=True, default=None)


class BotReleaseIn(serializers.Serializer):
    case_id = IdField()
    text = serializers.CharField(max_length=MAX_TEXT)
    lang = serializers.ChoiceField(choices=LANGS, required=False, allow_blank=True, default="")


class BotReleaseOut(serializers.Serializer):
    send = serializers.BooleanField(help_text="true: the bot may say or send it; false: it must not")
    utterance = UtteranceOut()
    violations = ViolationOut(many=True)


def utterances_for(user: Any) -> QuerySet[Utterance]:
    return (
        Utterance.objects.filter(case__in=case_queryset_for_user(user))
        .select_related("author", "alert")
        .order_by("-created_at", "-id")
    )


class UtteranceListView(ApiView):
    capabilities = {"GET": (roles.WORK_CASE, roles.COMPLIANCE_VIEW), "POST": roles.WORK_CASE}

    @extend_schema(
        operation_id="compliance_utterances_list",
        tags=TAGS,
        summary="Screened utterances on the cases visible to the user, newest first",
        description="Collectors see their cases' utterances; compliance.view holders see every visible case.",
        parameters=[UtteranceListQuery],
        responses={200: UtteranceOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(UtteranceListQuery, request)
        qs = utterances_for(request.user)
        if params.get("case"):
            qs = qs.filter(case_id=params["case"])
        if params.get("speaker"):
            qs = qs.filter(speaker=params["speaker"])
        if params["violating"] is not None:
            qs = qs.exclude(violations=[]) if params["violating"] else qs.filter(violations=[])
        return self.paginated(qs, UtteranceOut)

    @extend_schema(
        operation_id="compliance_utterances_create",
        tags=TAGS,
        summary="Screen a collector's sentence or a transcribed call sentence (cases.work)",
        description="201 with the violations found; a collector's violation raises an alert (`alert_id`).",
        request=UtteranceIn,
        responses={201: UtteranceOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(UtteranceIn, request)
        with api_write():
            utterance = services.utterance_record(
                actor=request.user,
                case_id=data["case_id"],
                text=data["text"],
                speaker=data["speaker"],
                source=data["source"],
                lang=data["lang"],
            )
        out = utterances_for(request.user).get(pk=utterance.pk)
        return Response(UtteranceOut(out).data, status=status.HTTP_201_CREATED)


class IsAdministrator(permissions.BasePermission):
    """Only the administrator role (a person, or the service account the bot platform's token belongs to)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request.user, "role", None) == Role.ADMIN and request.user.is_active


class BotReleaseView(ApiView):
    # The bot platform calls this with the token of a service account in the administrator role. The
    # service screens text for any case (no assignment applies to a bot) and what it passes is sent
    # under the agency's name, so no person's role below administrator may release text as the bot: a
    # collector could otherwise launder a sentence past the alerts raised on their own utterances.
    permission_classes = [permissions.IsAuthenticated, IsAdministrator]

    @extend_schema(
        operation_id="compliance_bot_release",
        tags=TAGS,
        summary="Screen what a bot is about to say or send; send only when `send` is true (administrator)",
        description=(
            "For the bot platform's service account (administrator role); other roles get 403. A sentence "
            "with a violation is kept as blocked and raises an alert so that the script is fixed."
        ),
        request=BotReleaseIn,
        responses={200: BotReleaseOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(BotReleaseIn, request)
        with api_write():
            send, utterance = services.bot_utterance_release(
                case_id=data["case_id"], text=data["text"], lang=data["lang"]
            )
        out = Utterance.objects.select_related("author", "alert").get(pk=utterance.pk)
        payload = {"send": send, "utterance": out, "violations": out.violations}
        return Response(BotReleaseOut(payload).data)
