"""Policy packs: every pack and its versions, the rules and parameters of one version with their basis and
explanation, and each creditor's pack with its stricter parameters (set by compliance)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from qingzhai.accounts import roles
from qingzhai.compliance.forms import PolicyForm
from qingzhai.compliance.policies.packs import (
    PolicyError,
    PolicyPack,
    list_packs,
    load_pack,
    load_pack_version,
)
from qingzhai.compliance.services import creditor_policy_set
from qingzhai.core import audit
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.core.i18n import bi
from qingzhai.portfolio.selectors import creditor_queryset_for_user
from qingzhai.web.views.common import page, see_other

DEFAULT_PACK = "cn"


def show_value(value: object) -> str:
    """A parameter's value as the pack file writes it: true/false, a comma-separated list, or as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _rules(pack: PolicyPack) -> list[dict[str, Any]]:
    rows = []
    for rule in pack.rules:
        params = [
            {
                "name": name,
                "value": show_value(param.as_data()),
                "stricter": param.stricter,
                "zh": param.zh,
                "en": param.en,
            }
            for name, param in rule.params.items()
        ]
        rows.append({"rule": rule, "params": params})
    return rows


def _chosen(request: HttpRequest, packs: list[Any]) -> tuple[PolicyPack | None, str]:
    """The version the page shows: ?pack=&version= or the version of the pack in force today."""
    if not packs:
        return None, ""
    code = request.GET.get("pack") or (
        DEFAULT_PACK if any(p.code == DEFAULT_PACK for p in packs) else packs[0].code
    )
    version = request.GET.get("version") or ""
    try:
        return (load_pack_version(code, version) if version else load_pack(code)), ""
    except PolicyError as exc:
        return None, bi(exc.zh, exc.en)


def _creditor_rows(request: HttpRequest) -> list[dict[str, Any]]:
    rows = []
    for creditor in (
        creditor_queryset_for_user(request.user).select_related("compliance_policy").order_by("name")
    ):
        policy = getattr(creditor, "compliance_policy", None)
        rows.append({"creditor": creditor, "policy": policy})
    return rows


@page(roles.COMPLIANCE_VIEW)
def policy_list(request: HttpRequest) -> HttpResponse:
    packs = list_packs()
    pack, error = _chosen(request, packs)
    context = {
        "packs": packs,
        "pack": pack,
        "rules": _rules(pack) if pack else [],
        "pack_error": error,
        "creditors": _creditor_rows(request),
        "can_manage": request.user.can(roles.COMPLIANCE_MANAGE),  # type: ignore[union-attr]
    }
    return render(request, "compliance/policies/list.html", context, status=400 if error else 200)


@page(roles.COMPLIANCE_VIEW)
def creditor_policy(request: HttpRequest, pk: int) -> HttpResponse:
    """One creditor's pack and overrides; compliance.manage may change them (only ever stricter)."""
    user: Any = request.user
    creditor = creditor_queryset_for_user(user).select_related("compliance_policy").filter(pk=pk).first()
    if creditor is None:
        raise NotFound()
    policy = getattr(creditor, "compliance_policy", None)
    packs = list_packs()
    status = 200
    if request.method == "POST":
        if not user.can(roles.COMPLIANCE_MANAGE):
            raise AccessDenied()
        form = PolicyForm(request.POST, packs=packs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with audit.source("web"):
                    creditor_policy_set(
                        actor=user,
                        creditor_id=creditor.pk,
                        pack=data["pack"],
                        overrides=data["overrides"],
                        reason=data["reason"],
                    )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                target = (
                    "pack" if exc.code == "unknown_pack" else "reason" if "reason" in exc.fields else None
                )
                form.add_error(target, exc.message)
                status = exc.status
            else:
                messages.success(request, bi("已保存委托方的合规政策", "The creditor's policy is saved"))
                return see_other(reverse("compliance:creditor_policy", args=[creditor.pk]))
        else:
            status = 400
    else:
        initial = {
            "pack": policy.pack if policy else DEFAULT_PACK,
            "overrides": json.dumps(policy.overrides, ensure_ascii=False, indent=2)
            if policy and policy.overrides
            else "",
        }
        form = PolicyForm(initial=initial, packs=packs)
    context = {
        "creditor": creditor,
        "policy": policy,
        "form": form,
        "can_manage": user.can(roles.COMPLIANCE_MANAGE),
    }
    return render(request, "compliance/policies/creditor.html", context, status=status)
