"""Policy packs and each creditor's choice of pack and stricter parameters."""

from __future__ import annotations

import pytest

from qingzhai.compliance.models import CreditorPolicy
from qingzhai.compliance.policies.packs import list_packs, load_pack_version
from qingzhai.core.models import AuditEvent
from tests.portfolio.api.test_errors import assert_error

URL = "/api/v1/compliance/policies/"


def test_packs_with_their_versions(world, api_for):
    response = api_for("auditor").get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(list_packs())
    cn = next(p for p in body["results"] if p["code"] == "cn")
    assert cn["versions"] == [
        {"version": "2025-02-28", "version_id": "cn@2025-02-28", "effective_from": "2025-02-28"},
        {"version": "2026-01-30", "version_id": "cn@2026-01-30", "effective_from": "2026-01-30"},
    ]
    assert cn["in_force"] == "cn@2026-01-30"
    assert cn["title"] == cn["title_zh"]


@pytest.mark.parametrize("version", ["2026-01-30", "cn@2026-01-30"])
def test_one_version_with_rules_and_parameters(version, world, api_for):
    response = api_for("compliance").get(f"{URL}cn/{version}/")
    assert response.status_code == 200
    body = response.json()
    pack = load_pack_version("cn", "2026-01-30")
    assert (body["code"], body["version"], body["version_id"]) == ("cn", "2026-01-30", "cn@2026-01-30")
    assert [r["id"] for r in body["rules"]] == [r.id for r in pack.rules]
    night = next(r for r in body["rules"] if r["id"] == "cn.hours.night")
    assert night["zh"].startswith("双方未约定时，债务人当地时间22:00至次日08:00不得催收")
    assert night["basis"].startswith("GB/T 45251—2025")
    assert {
        p["name"]: (p["value"], p["stricter"]) for p in night["params"] if p["name"].startswith("allowed")
    } == {
        "allowed_from": ("08:00", "later"),
        "allowed_until": ("22:00", "earlier"),
    }
    assert body["parameters"]["cn.freq.connected_calls"]["max"] == 3


@pytest.mark.parametrize("path", ["xx/2026-01-30/", "cn/2019-01-01/", "cn/us-regf@2026-01-30/", "..%2F/1/"])
def test_unknown_pack_or_version(path, world, api_for):
    assert_error(api_for("compliance").get(URL + path), 404, "not_found")


def test_creditor_policy_default_then_stricter(world, api_for):
    url = f"/api/v1/compliance/creditors/{world.a.creditor.pk}/policy/"
    client = api_for("compliance")
    default = client.get(url).json()
    assert {k: default[k] for k in ("pack", "overrides", "in_force", "updated_by", "updated_at")} == {
        "pack": "cn",
        "overrides": {},
        "in_force": "cn@2026-01-30",
        "updated_by": None,
        "updated_at": None,
    }
    assert default["creditor"]["id"] == world.a.creditor.pk
    overrides = {"cn.hours.night": {"allowed_from": "09:00"}, "cn.freq.connected_calls": {"max": 2}}
    response = client.put(
        url, {"pack": "cn", "overrides": overrides, "reason": "委托方要求更严"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["overrides"] == overrides
    assert response.json()["updated_by"]["username"] == "compliance1"
    policy = CreditorPolicy.objects.get(creditor=world.a.creditor)
    assert (policy.pack, policy.overrides) == ("cn", overrides)
    assert AuditEvent.objects.filter(action="policy.set", source="api").count() == 1


@pytest.mark.parametrize(
    ("data", "code", "fields"),
    [
        (
            {"pack": "cn", "overrides": {"cn.hours.night": {"allowed_from": "07:00"}}},
            "policy_override_looser",
            {"cn.hours.night.allowed_from"},
        ),
        ({"pack": "cn", "overrides": {"cn.nope": {"max": 1}}}, "policy_override_unknown_rule", {"cn.nope"}),
        ({"pack": "mars", "overrides": {}}, "unknown_pack", {"pack"}),
        ({"pack": "cn", "overrides": {"cn.hours.night": 5}}, "invalid", {"overrides.cn.hours.night"}),
        ({"overrides": {}}, "invalid", {"pack"}),
    ],
)
def test_creditor_policy_refusals(data, code, fields, world, api_for):
    url = f"/api/v1/compliance/creditors/{world.a.creditor.pk}/policy/"
    response = api_for("compliance").put(url, {"reason": "测试 test", **data}, format="json")
    assert_error(response, 400, code, fields)
    assert not CreditorPolicy.objects.exists()


@pytest.mark.parametrize(
    ("role", "get_status", "put_status"),
    [
        ("supervisor", 200, 403),
        ("auditor", 200, 403),
        ("collector", 403, 403),
        ("creditor_viewer", 403, 403),
        ("admin", 200, 200),
    ],
)
def test_policy_permissions(role, get_status, put_status, world, api_for):
    client = api_for(role)
    url = f"/api/v1/compliance/creditors/{world.a.creditor.pk}/policy/"
    assert client.get(url).status_code == get_status
    assert client.get(URL).status_code == get_status
    assert client.get(f"{URL}cn/2026-01-30/").status_code == get_status
    response = client.put(url, {"pack": "cn", "overrides": {}, "reason": "r"}, format="json")
    assert response.status_code == put_status
    assert client.get("/api/v1/compliance/creditors/999999/policy/").status_code == (
        404 if get_status == 200 else 403
    )
