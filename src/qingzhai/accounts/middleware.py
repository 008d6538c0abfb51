"""Privileged roles must pass TOTP verification before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from qingzhai.accounts.roles import TWO_FACTOR_ROLES
from qingzhai.core.i18n import bi

_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/accounts/")


def needs_second_factor(user: object) -> bool:
    return bool(
        settings.QINGZHAI_REQUIRE_2FA
        and getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) in TWO_FACTOR_ROLES
        and not getattr(user, "is_verified", lambda: False)()
    )


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if needs_second_factor(request.user) and not path.startswith(_OPEN_PREFIXES):
            if path.startswith("/api/"):
                if request.META.get("HTTP_AUTHORIZATION", "").startswith("Token "):
                    return self.get_response(request)
                return JsonResponse(
                    {
                        "code": "second_factor_required",
                        "message": bi("需要完成两步验证", "Two-factor verification required"),
                        "fields": {},
                    },
                    status=403,
                )
            return redirect("web:otp")
        return self.get_response(request)
