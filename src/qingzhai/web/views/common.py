"""Shared pieces of the page views: htmx detection, capability checks and turning domain errors into
proper 4xx answers (never a 500) with the message in the user's language."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.core.i18n import bi

View = Callable[..., HttpResponse]

_TITLES = {
    400: ("请求有误", "Bad request"),
    403: ("没有权限", "Permission denied"),
    404: ("未找到", "Not found"),
    409: ("操作冲突", "Conflict"),
}


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_listing(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A list page, or only its results for htmx; caches keep the two apart."""
    response = render(request, partial if is_htmx(request) else template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """An error page, or for htmx a fragment the page shows in place of the target."""
    title = bi(*_TITLES.get(status, ("请求失败", "Request failed")))
    context = {"status": status, "title": title, "message": message}
    template = "web/_error_fragment.html" if is_htmx(request) else "web/error.html"
    response = render(request, template, context, status=status)
    if is_htmx(request):
        # Show the error where the user is looking, whatever the requesting element targeted.
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
    return response


def domain_errors(view: View) -> View:
    """Answer a DomainError that a view lets through with its status and bilingual message."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return error_response(request, exc.status, exc.message)

    return wrapper


def page(capability: str | None = None) -> Callable[[View], View]:
    """Decorate a page view: signed-in users only, the capability checked, domain errors answered."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if capability is not None and not request.user.can(capability):  # type: ignore[union-attr]
                raise AccessDenied()
            return view(request, *args, **kwargs)

        return login_required(domain_errors(checked))

    return decorate


def no_store(response: HttpResponse) -> HttpResponse:
    """For answers that carry revealed personal data: never cached anywhere."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response


def see_other(url: str) -> HttpResponseRedirect:
    """303 after a successful POST, so that reloading the next page never repeats the action."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def safe_next(request: HttpRequest, value: str | None, default: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default
