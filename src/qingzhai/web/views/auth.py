"""Login, logout, two-factor verification and the lockout answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from qingzhai.core.i18n import bi


def lockout_response(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kw: Any
) -> HttpResponse:
    message = bi(
        "登录失败次数过多，账户已暂时锁定，请稍后再试或联系管理员。",
        "Too many failed logins; the account is locked for a while. Try later or ask an administrator.",
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message, "fields": {}}, status=429)
    return render(request, "web/locked.html", {"message": message}, status=429)
