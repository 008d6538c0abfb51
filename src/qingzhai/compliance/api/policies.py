"""Policy packs (the contact rules as versioned data) and each creditor's choice of pack and parameters."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.compliance import services
from qingzhai.compliance.models import CreditorPolicy
from qingzhai.compliance.policies.packs import (
    PolicyError,
    PolicyPack,
    list_packs,
    load_pack,
    load_pack_version,
)
from qingzhai.core.clock import now
from qingzhai.core.errors import NotFound
from qingzhai.core.i18n import bi
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    CreditorRefSerializer,
    UserRefSerializer,
    api_write,
    body,
    get_visible,
)
from qingzhai.portfolio.selectors import creditor_queryset_for_user

TAGS = ["compliance-policies"]
DEFAULT_PACK = "cn"


class PackVersionOut(serializers.Serializer):
    version = serializers.CharField(help_text="The date it comes into force, e.g. 2025-02-28")
    version_id = serializers.CharField(help_text="e.g. cn@2025-02-28")
    effective_from = serializers.DateField()


class PackSummaryOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    title_zh = serializers.CharField()
    title_en = serializers.CharField()
    versions = PackVersionOut(many=True, help_text="Oldest first")
    in_force = serializers.CharField(allow_null=True, help_text="The version id in force today; null if none")


class ParamOut(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    value = serializers.JSONField(help_text="Times as HH:MM, sets as sorted lists")
    stricter = serializers.CharField(help_text="The direction in which a creditor may make it stricter")
    zh = serializers.CharField()
    en = serializers.CharField()


class RuleSpecOut(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField()
    family = serializers.CharField()
    channels = serializers.ListField(child=serializers.CharField())
    parties = serializers.ListField(child=serializers.CharField())
    basis = serializers.CharField(help_text="Legal basis / 依据")
    basis_status = serializers.CharField()
    zh = serializers.CharField(help_text="What the rule does, in Chinese")
    en = serializers.CharField(help_text="What the rule does, in English")
    params = ParamOut(many=True)


class PackOut(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()
    version_id = serializers.CharField()
    effective_from = serializers.DateField()
    effective_zone = serializers.CharField()
    title = serializers.CharField()
    title_zh = serializers.CharField()
    title_en = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    parameters = serializers.DictField(  # type: ignore[assignment]
        child=serializers.DictField(), help_text="{rule id: {parameter: value}}"
    )
    rules = RuleSpecOut(many=True)


class CreditorPolicyOut(serializers.Serializer):
    creditor = CreditorRefSerializer()
    pack = serializers.CharField()
    overrides = serializers.DictField(  # type: ignore[assignment]
        child=serializers.DictField(), help_text="{rule id: {parameter: value}}, only ever stricter"
    )
    in_force = serializers.CharField(allow_null=True, help_text="The pack version in force today")
    updated_by = UserRefSerializer(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True, help_text="null: the default pack, never set")


class CreditorPolicyIn(serializers.Serializer):
    pack = serializers.CharField(max_length=20)
    overrides = serializers.DictField(
        child=serializers.DictField(), required=False, default=dict, help_text="{rule id: {parameter: value}}"
    )
    reason = serializers.CharField(max_length=1000)


def _in_force(code: str) -> str | None:
    try:
        return load_pack(code, now()).version_id
    except PolicyError:
        return None


def _pack_summary(info: Any) -> dict[str, Any]:
    return {
        "code": info.code,
        "title": bi(info.title_zh, info.title_en),
        "title_zh": info.title_zh,
        "title_en": info.title_en,
        "versions": [
            {"version": vid.partition("@")[2], "version_id": vid, "effective_from": day}
            for vid, day in zip(info.versions, info.effective_from, strict=True)
        ],
        "in_force": _in_force(info.code),
    }


def _pack_out(pack: PolicyPack) -> dict[str, Any]:
    return {
        "code": pack.code,
        "version": pack.version,
        "version_id": pack.version_id,
        "effective_from": pack.effective_from,
        "effective_zone": pack.effective_zone,
        "title": bi(pack.title_zh, pack.title_en),
        "title_zh": pack.title_zh,
        "title_en": pack.title_en,
        "sources": list(pack.sources),
        "parameters": pack.parameters(),
        "rules": [
            {
                "id": rule.id,
                "kind": rule.kind,
                "family": rule.family,
                "channels": sorted(c.value for c in rule.channels),
                "parties": sorted(p.value for p in rule.parties),
                "basis": rule.basis,
                "basis_status": rule.basis_status,
                "zh": rule.explain_zh,
                "en": rule.explain_en,
                "params": [
                    {
                        "name": name,
                        "type": p.type,
                        "value": p.as_data(),
                        "stricter": p.stricter,
                        "zh": p.zh,
                        "en": p.en,
                    }
                    for name, p in rule.params.items()
                ],
            }
            for rule in pack.rules
        ],
    }


class PolicyListView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_policies_list",
        tags=TAGS,
        summary="The policy packs with their versions (compliance.view)",
        responses={200: PackSummaryOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows = [_pack_summary(info) for info in list_packs()]
        page: list[Any] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        assert page is not None
        return self.get_paginated_response(PackSummaryOut(page, many=True).data)


class PolicyVersionView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW}

    @extend_schema(
        operation_id="compliance_policies_version",
        tags=TAGS,
        summary="One version of a pack: every rule with its legal basis, texts and parameters (compliance.view)",
        description="`version` is the date (2025-02-28) or the version id (cn@2025-02-28).",
        responses={200: PackOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, code: str, version: str) -> Response:
        try:
            pack = load_pack_version(code, version)
        except PolicyError as exc:
            raise NotFound(exc.zh, exc.en) from exc
        return Response(PackOut(_pack_out(pack)).data)


def _policy_out(creditor: Any) -> dict[str, Any]:
    policy = CreditorPolicy.objects.select_related("updated_by").filter(creditor=creditor).first()
    pack = policy.pack if policy else DEFAULT_PACK
    return CreditorPolicyOut(
        {
            "creditor": creditor,
            "pack": pack,
            "overrides": policy.overrides if policy else {},
            "in_force": _in_force(pack),
            "updated_by": policy.updated_by if policy else None,
            "updated_at": policy.updated_at if policy else None,
        }
    ).data


class CreditorPolicyView(ApiView):
    capabilities = {"GET": roles.COMPLIANCE_VIEW, "PUT": roles.COMPLIANCE_MANAGE}

    @extend_schema(
        operation_id="compliance_creditor_policy_retrieve",
        tags=TAGS,
        summary="The pack a creditor's cases follow and the creditor's stricter parameters (compliance.view)",
        responses={200: CreditorPolicyOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_policy_out(get_visible(creditor_queryset_for_user(request.user), pk)))

    @extend_schema(
        operation_id="compliance_creditor_policy_update",
        tags=TAGS,
        summary="Choose the creditor's pack and parameters; a looser parameter is refused (compliance.manage)",
        description="400 `policy_override_looser` names the parameter and the direction it may move in.",
        request=CreditorPolicyIn,
        responses={200: CreditorPolicyOut, **WRITE_ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        creditor = get_visible(creditor_queryset_for_user(request.user), pk)
        data = body(CreditorPolicyIn, request)
        with api_write():
            services.creditor_policy_set(
                actor=request.user,
                creditor_id=creditor.pk,
                pack=data["pack"],
                overrides=data["overrides"],
                reason=data["reason"],
            )
        return Response(_policy_out(creditor))
