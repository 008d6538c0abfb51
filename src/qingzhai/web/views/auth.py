"""Login, logout, two-factor verification and the lockout answer."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingzhai.accounts import services as account_services
from qingzhai.accounts.middleware import needs_second_factor
from qingzhai.core.i18n import bi
from qingzhai.web.forms import LoginForm, OtpForm
from qingzhai.web.views.common import no_store, safe_next


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


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view(next_page="web:login")


# --- two-factor -------------------------------------------------------------------------------------


def _secret_b32(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # Drop the XML declaration so the SVG can sit inline in the page.
    return svg[svg.index("<svg") :]


@never_cache
@sensitive_post_parameters("token")
@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    """Two-factor: enrol a TOTP authenticator on first use, afterwards verify a code."""
    user = request.user
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"), reverse("web:queue"))
    if not needs_second_factor(user):
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    enrol = device is None
    if device is None:
        device = account_services.totp_device_pending(user=user)
    form = OtpForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                status = 429
                form.add_error(
                    "token",
                    bi("尝试次数过多，请稍等片刻再试", "Too many tries; wait a moment and try again"),
                )
            elif device.verify_token(form.cleaned_data["token"]):
                if enrol:
                    account_services.totp_device_confirm(user=user, device=device)
                otp_login(request, device)
                return redirect(next_url)
            else:
                form.add_error(
                    "token",
                    bi(
                        "验证码不正确或已过期，请输入验证器上当前的 6 位数字",
                        "Wrong or expired code; type the current 6 digits from your authenticator",
                    ),
                )
    context: dict[str, Any] = {"form": form, "enrol": enrol, "next": next_url}
    if enrol:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _secret_b32(device)
        context["otpauth_uri"] = device.config_url
    return no_store(render(request, "web/otp.html", context, status=status))
