"""The supervisors' live wall: recent bot and human calls with the debtor's emotion, and open compliance
alerts. The page polls its feed every few seconds with htmx (`wall_feed`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.cache import patch_vary_headers

from qingzhai.accounts import roles
from qingzhai.contact.selectors.wall import DEFAULT_HOURS, MAX_HOURS, wall
from qingzhai.contact.views.workspace import BRANCH_LABELS, EMOTION_LABELS, pair_label
from qingzhai.web.views.common import page

HOUR_CHOICES = (1, 4, 8, 24, 72)
BOT_OUTCOME_LABELS = {
    "promise": ("承诺还款", "Promise"),
    "dispute": ("有异议", "Dispute"),
    "already_paid": ("称已还款", "Says paid"),
    "wrong_number": ("号码错误", "Wrong number"),
    "third_party": ("第三方接听", "Third party"),
    "hardship": ("经济困难", "Hardship"),
    "handover": ("转人工", "Handed over"),
    "refused": ("拒绝还款", "Refused"),
    "no_result": ("无结果", "No result"),
}


def _hours(request: HttpRequest) -> int:
    try:
        value = int(request.GET.get("hours", DEFAULT_HOURS))
    except (TypeError, ValueError):
        return DEFAULT_HOURS
    return max(1, min(value, MAX_HOURS))


def _context(request: HttpRequest) -> dict[str, object]:
    from qingzhai.web.labels import label

    data = wall(user=request.user, hours=_hours(request))
    for row in data.calls:
        row.emotion_label = pair_label(EMOTION_LABELS, row.emotion) if row.emotion else ""  # type: ignore[attr-defined]
        row.branch_labels = [pair_label(BRANCH_LABELS, b) for b in row.branches]  # type: ignore[attr-defined]
        row.outcome_label = (  # type: ignore[attr-defined]
            pair_label(BOT_OUTCOME_LABELS, row.outcome)
            if row.kind == "bot"
            else label("outcome", row.outcome)
        )
    return {"wall": data, "hour_choices": HOUR_CHOICES}


@page(roles.CONTACT_WALL)
def page_view(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/wall/wall.html", _context(request))


@page(roles.CONTACT_WALL)
def feed(request: HttpRequest) -> HttpResponse:
    response = render(request, "contact/wall/_feed.html", _context(request))
    patch_vary_headers(response, ["HX-Request"])
    return response


urlpatterns: list[URLPattern] = [
    path("wall/", page_view, name="wall"),
    path("wall/feed/", feed, name="wall_feed"),
]
