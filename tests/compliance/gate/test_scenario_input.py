"""Scenario input errors come back as ScenarioError naming the field; the output shape is fixed."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from qingzhai.compliance.gate import (
    Channel,
    ContactRequest,
    DebtorFacts,
    ScenarioError,
    decision_to_dict,
    evaluate,
    load_scenario,
    run_scenario,
)
from qingzhai.compliance.policies import load_pack_version


def scenario(contacts, **extra):
    return {"pack": "cn", "debtor": {"timezone": "Asia/Shanghai"}, "contacts": contacts, **extra}


def error_of(data) -> ScenarioError:
    with pytest.raises(ScenarioError) as exc:
        run_scenario(data)
    return exc.value


@pytest.mark.parametrize(
    ("contacts", "code", "field"),
    [
        ([{"at": "2026-03-02T10:00:00"}], "scenario_invalid", "contacts[0].channel"),
        ([{"channel": "call"}], "scenario_invalid", "contacts[0].at"),
        (
            [{"at": "2026-03-02T10:00:00", "channel": "call"}, {"at": "yesterday", "channel": "call"}],
            "scenario_invalid",
            "contacts[1].at",
        ),
        ([{"at": "2026-03-02", "channel": "call"}], "scenario_invalid", "contacts[0].at"),
        ([{"at": "2026-03-02T10:00:00", "channel": "fax"}], "scenario_invalid", "contacts[0].channel"),
        (
            [{"at": "2026-03-02T10:00:00", "channel": "call", "party": "neighbour"}],
            "scenario_invalid",
            "contacts[0].party",
        ),
        (
            [{"at": "2026-03-02T10:00:00", "channel": "call", "outcome": "denied"}],
            "scenario_invalid",
            "contacts[0].outcome",
        ),
        (
            [{"at": "2026-03-02T10:00:00", "channel": "call", "pressure": "yes"}],
            "scenario_invalid",
            "contacts[0].pressure",
        ),
        (
            [{"at": "2026-03-02T10:00:00", "channel": "call", "colour": "red"}],
            "scenario_invalid",
            "contacts[0]",
        ),
        (
            [
                {"id": "a", "at": "2026-03-02T10:00:00", "channel": "call"},
                {"id": "a", "at": "2026-03-02T11:00:00", "channel": "call"},
            ],
            "scenario_invalid",
            "contacts[1].id",
        ),
        ([{"at": "2024-12-01T10:00:00", "channel": "call"}], "policy_pack_not_in_force", "contacts[0].at"),
    ],
)
def test_bad_contacts_name_index_and_field(contacts, code, field):
    err = error_of(scenario(contacts))
    assert err.code == code
    assert list(err.fields) == [field]
    assert err.zh.startswith(field) and err.en.startswith(field)


def test_nonexistent_local_time_in_dst_gap():
    data = {
        "pack": "us-regf",
        "debtor": {"timezone": "America/New_York"},
        "contacts": [{"at": "2026-03-08T02:30:00", "channel": "call"}],
    }
    err = error_of(data)
    assert list(err.fields) == ["contacts[0].at"]
    assert "does not exist in America/New_York" in err.en


@pytest.mark.parametrize(
    ("debtor", "field"),
    [
        ({"timezone": "Nowhere/City"}, "debtor.timezone"),
        ({"flags": ["rich"]}, "debtor.flags[0]"),
        ({"flags": {"bankrupt": "yes"}}, "debtor.flags.bankrupt"),
        ({"hardship_until": "10 March"}, "debtor.hardship_until"),
        ({"opted_out": ["pigeon"]}, "debtor.opted_out[0]"),
        ({"agreed_windows": [{"start": "22:00", "end": "22:00"}]}, "debtor.agreed_windows[0]"),
        ({"agreed_windows": [{"start": "22", "end": "23:00"}]}, "debtor.agreed_windows[0].start"),
        (
            {"agreed_windows": [{"start": "22:00", "end": "23:00", "weekdays": [7]}]},
            "debtor.agreed_windows[0].weekdays",
        ),
        ({"salary": 1}, "debtor"),
    ],
)
def test_bad_debtor_fields(debtor, field):
    err = error_of({"pack": "cn", "debtor": debtor, "contacts": []})
    assert err.code == "scenario_invalid"
    assert list(err.fields) == [field]


def test_unknown_pack_and_version():
    err = error_of({"pack": "eu", "contacts": [{"at": "2026-03-02T10:00:00", "channel": "call"}]})
    assert (err.code, list(err.fields)) == ("policy_pack_unknown", ["pack"])
    err = error_of(scenario([{"at": "2026-03-02T10:00:00", "channel": "call"}], pack_version="cn@2027-01-01"))
    assert (err.code, list(err.fields)) == ("policy_pack_version_unknown", ["pack_version"])
    err = error_of({"contacts": []})
    assert list(err.fields) == ["pack"]
    err = error_of(scenario([], expected=[]))
    assert list(err.fields) == ["scenario"]


def test_looser_override_is_refused_naming_the_parameter():
    err = error_of(
        scenario(
            [{"at": "2026-03-02T10:00:00", "channel": "call"}],
            overrides={"cn.hours.night": {"allowed_until": "23:00"}},
        )
    )
    assert err.code == "policy_override_looser"
    assert list(err.fields) == ["overrides.cn.hours.night.allowed_until"]
    assert "cn.hours.night.allowed_until" in err.zh and "cn.hours.night.allowed_until" in err.en


def test_pinned_version_applies_to_every_contact():
    contacts = [
        {
            "id": str(i),
            "at": f"2026-03-02T09:{i:02d}:00",
            "channel": "call",
            "contact_id": "n",
            "outcome": "no_answer",
        }
        for i in range(7)
    ]
    pinned = run_scenario(scenario(contacts, pack_version="2025-02-28"))
    assert [d["pack_version"] for d in pinned["decisions"]] == ["cn@2025-02-28"] * 7
    assert pinned["summary"] == {"allowed": 7, "denied": 0}
    dated = run_scenario(scenario(contacts))
    assert dated["summary"] == {"allowed": 6, "denied": 1}
    assert dated["decisions"][6]["rules"][0]["rule"] == "cn.freq.attempts_per_number"


def test_output_shape_and_time_order():
    result = run_scenario(
        scenario(
            [
                {"id": "late", "at": "2026-03-02T12:00:00+08:00", "channel": "sms"},
                {"id": "early", "at": "2026-03-02T01:00:00Z", "channel": "call", "outcome": "no_answer"},
            ]
        )
    )
    assert result["pack"] == "cn"
    assert [d["id"] for d in result["decisions"]] == ["early", "late"]
    early = result["decisions"][0]
    assert early == {
        "id": "early",
        "at": "2026-03-02T09:00:00+08:00",
        "allowed": True,
        "pack_version": "cn@2026-01-30",
        "route": None,
        "requirements": [],
        "rules": [],
    }
    assert result["summary"] == {"allowed": 2, "denied": 0}


def test_decision_to_dict():
    pack = load_pack_version("cn", "cn@2026-01-30")
    at = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    d = evaluate(pack, DebtorFacts(lawyer_represented=True), ContactRequest(at=at, channel=Channel.CALL))
    out = decision_to_dict(d)
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out
    assert out["allowed"] is False
    assert out["pack"] == "cn"
    assert out["pack_version"] == "cn@2026-01-30"
    assert out["route"] == "lawyer"
    assert out["requirements"] == []
    assert [(r["rule"], r["effect"]) for r in out["rules"]] == [
        ("stop.lawyer", "deny"),
        ("stop.lawyer", "route"),
    ]
    assert out["rules"][0]["zh"] == "债务人已委托律师：不得直接联系债务人，请改为联系其律师。"
    assert out["rules"][1]["params"] == {"route": "lawyer"}
    assert out["rules"][1]["en"] == "Route to the debtor's lawyer."


def test_load_scenario_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"pack": "cn",', encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(bad)
    assert exc.value.code == "scenario_not_json"
    assert "line 1" in exc.value.en
    with pytest.raises(ScenarioError) as exc:
        load_scenario(tmp_path / "missing.json")
    assert exc.value.code == "scenario_unreadable"
    arr = tmp_path / "arr.json"
    arr.write_text("[]", encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(arr)
    assert exc.value.code == "scenario_invalid"
