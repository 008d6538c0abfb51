"""API authentication (token obtain with throttling and two-factor, logout) and the caller's own
profile."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django_otp import match_token, user_has_device
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from qingzhai.accounts import services as account_services
from qingzhai.accounts.models import User
from qingzhai.accounts.roles import CAPABILITIES, ROLE_LABELS, TWO_FACTOR_ROLES, Role
from qingzhai.core import audit
from qingzhai.core.api_views import (
    ERR_400,
    ERR_401,
    ERR_403,
    ERR_413,
    ERR_429,
    ApiView,
    BriefMetadata,
    request_data,
)
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.core.i18n import bi

# --- the caller ------------------------------------------------------------------------------------


class TeamOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    role = serializers.ChoiceField(choices=[r.value for r in Role])
    role_label = serializers.SerializerMethodField()
    capabilities = serializers.SerializerMethodField()
    team = TeamOut(allow_null=True)
    creditor_ids = serializers.SerializerMethodField(
        help_text="Creditors a creditor_viewer may see; empty for other roles"
    )

    def get_role_label(self, user: User) -> str:
        zh, en = ROLE_LABELS.get(Role(user.role), (user.role, user.role))
        return bi(zh, en)

    def get_capabilities(self, user: User) -> list[str]:
        return sorted(CAPABILITIES.get(Role(user.role), frozenset())) if user.is_active else []

    def get_creditor_ids(self, user: User) -> list[int]:
        if user.role != Role.CREDITOR_VIEWER:
            return []
        return sorted(user.creditor_grants.values_list("creditor_id", flat=True))


class MeView(ApiView):
    pagination_class = None  # type: ignore[assignment]

    @extend_schema(
        operation_id="me_retrieve",
        tags=["auth"],
        summary="The authenticated user: role and capabilities",
        responses={200: MeOut, 401: ERR_401, 403: ERR_403},
    )
    def get(self, request: Request) -> Response:
        user = User.objects.select_related("team").get(pk=cast(User, request.user).pk)
        return Response(MeOut(user).data)


# --- tokens ----------------------------------------------------------------------------------------


class TokenIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text="Current TOTP code; required for admin, supervisor and compliance",
    )


class TokenOut(serializers.Serializer):
    token = serializers.CharField(help_text='Send as the header "Authorization: Token <token>"')
    user = MeOut()


class TokenObtainView(GenericAPIView):
    """Exchange username, password (and the TOTP code for privileged roles) for an API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    pagination_class = None  # type: ignore[assignment]
    metadata_class = BriefMetadata  # type: ignore[assignment]

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        summary="Obtain an API token (throttled; failed logins lock the account for a while)",
        request=TokenIn,
        responses={200: TokenOut, 400: ERR_400, 403: ERR_403, 413: ERR_413, 429: ERR_429},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenIn(data=request_data(request))
        data.is_valid(raise_exception=True)
        username, password, otp = (data.validated_data[k] for k in ("username", "password", "otp"))
        # The plain Django request: django-axes records failures and lockouts on it.
        http_request = request._request
        user = authenticate(http_request, username=username, password=password)
        if user is None:
            raise DomainError("invalid_credentials", "用户名或密码错误", "Wrong username or password")
        if settings.QINGZHAI_REQUIRE_2FA and user.role in TWO_FACTOR_ROLES:
            if not user_has_device(user):
                raise AccessDenied(
                    "请先在网页端设置两步验证，再申请接口令牌",
                    "Set up two-factor authentication in the web interface before requesting a token",
                )
            if not otp:
                raise DomainError(
                    "second_factor_required",
                    "需要填写两步验证码",
                    "The two-factor code is required",
                    fields={"otp": ["required"]},
                )
            if match_token(user, otp) is None:
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=http_request
                )
                raise DomainError(
                    "otp_invalid",
                    "两步验证码不正确",
                    "The two-factor code is wrong",
                    fields={"otp": ["invalid"]},
                )
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        with audit.source("api"):
            key = account_services.api_token_issue(user=user)
        user = User.objects.select_related("team").get(pk=user.pk)
        return Response(TokenOut({"token": key, "user": user}).data)


class LogoutView(ApiView):
    pagination_class = None  # type: ignore[assignment]

    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        summary="Revoke the caller's API token",
        request=None,
        responses={204: None, 401: ERR_401},
    )
    def post(self, request: Request) -> Response:
        with audit.source("api"):
            account_services.api_token_revoke(user=cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
