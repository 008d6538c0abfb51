"""Policy packs: versions and effective dates, validation of pack files, creditor overrides (stricter only)."""

from __future__ import annotations

import copy
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from qingzhai.compliance.gate.facts import Channel, Party
from qingzhai.compliance.gate.rules import CHECKS
from qingzhai.compliance.policies import (
    PolicyError,
    apply_overrides,
    list_packs,
    load_pack,
    load_pack_version,
)
from qingzhai.compliance.policies.packs import KINDS, PACKS_DIR, load_pack_file, parse_pack

ALL_CHANNELS = frozenset(Channel)


def raw(code: str, version: str) -> dict:
    return yaml.safe_load((PACKS_DIR / code / f"{version}.yaml").read_text(encoding="utf-8"))


def test_list_packs():
    packs = {p.code: p for p in list_packs()}
    assert sorted(packs) == ["cn", "us-regf"]
    assert packs["cn"].versions == ("cn@2025-02-28", "cn@2026-01-30")
    assert packs["cn"].effective_from == (date(2025, 2, 28), date(2026, 1, 30))
    assert packs["us-regf"].versions == ("us-regf@2021-11-30",)


@pytest.mark.parametrize(
    ("on", "version"),
    [
        (date(2025, 2, 28), "cn@2025-02-28"),
        (date(2025, 6, 1), "cn@2025-02-28"),
        (date(2026, 1, 29), "cn@2025-02-28"),
        (date(2026, 1, 30), "cn@2026-01-30"),
        (date(2026, 3, 1), "cn@2026-01-30"),
        (datetime(2026, 1, 29, 15, 59, tzinfo=ZoneInfo("UTC")), "cn@2025-02-28"),  # 23:59 in Beijing
        (datetime(2026, 1, 29, 16, 0, tzinfo=ZoneInfo("UTC")), "cn@2026-01-30"),  # 00:00 in Beijing
        (datetime(2026, 1, 30, 0, 30), "cn@2026-01-30"),  # naive: its own date
    ],
)
def test_version_in_force(on, version):
    assert load_pack("cn", on).version_id == version


def test_no_version_in_force_and_unknown_pack():
    with pytest.raises(PolicyError) as exc:
        load_pack("cn", date(2025, 2, 27))
    assert exc.value.code == "policy_pack_not_in_force"
    assert "2025-02-27" in exc.value.zh and "2025-02-28" in exc.value.en
    with pytest.raises(PolicyError) as exc:
        load_pack("eu", date(2026, 1, 1))
    assert exc.value.code == "policy_pack_unknown"
    assert exc.value.en == "unknown policy pack 'eu'; available: cn, us-regf"
    assert exc.value.zh == "未知政策包 'eu'；可用：cn, us-regf"


def test_load_pack_version():
    assert load_pack_version("cn", "2025-02-28").version_id == "cn@2025-02-28"
    assert load_pack_version("cn", "cn@2026-01-30").version_id == "cn@2026-01-30"
    for bad in ("2026-02-01", "us-regf@2021-11-30"):
        with pytest.raises(PolicyError) as exc:
            load_pack_version("cn", bad)
        assert exc.value.code == "policy_pack_version_unknown"


def test_2026_version_adds_the_attempts_cap_only():
    old = load_pack_version("cn", "2025-02-28")
    new = load_pack_version("cn", "2026-01-30")
    assert [r.id for r in new.rules] == [r.id for r in old.rules] + ["cn.freq.attempts_per_number"]
    attempts = new.rule("cn.freq.attempts_per_number")
    assert attempts.value("max") == 6
    assert attempts.value("per") == frozenset({"contact_id"})
    assert "中国银行业协会" in attempts.basis
    assert old.parameters() == {
        k: v for k, v in new.parameters().items() if k != "cn.freq.attempts_per_number"
    }


def test_key_parameters():
    cn = load_pack_version("cn", "2026-01-30").parameters()
    assert cn["cn.hours.night"] == {
        "channels": ["bot_call", "call", "email", "sms", "visit"],
        "parties": ["debtor", "guarantor", "lawyer", "third_party"],
        "allowed_from": "08:00",
        "allowed_until": "22:00",
        "honour_agreement": True,
    }
    assert cn["cn.freq.connected_calls"]["max"] == 3
    assert cn["cn.freq.connected_calls"]["channels"] == ["bot_call", "call"]
    assert cn["stop.dishonest_listed"]["max_pressure_contacts"] == 1
    assert cn["stop.dishonest_listed"]["window_days"] == 7
    us = load_pack("us-regf", date(2026, 1, 1)).parameters()
    assert (us["us.hours.inconvenient"]["allowed_from"], us["us.hours.inconvenient"]["allowed_until"]) == (
        "08:00",
        "21:00",
    )
    assert (us["us.freq.seven_in_seven"]["max"], us["us.freq.seven_in_seven"]["window_days"]) == (7, 7)
    assert us["us.freq.seven_in_seven"]["per"] == ["debt_id", "party"]
    assert us["us.freq.after_conversation"]["window_days"] == 7
    assert us["us.validation.notice"]["grace_days"] == 5
    assert us["us.validation.notice"]["dispute_days"] == 30


STOPS = ["stop.bankrupt", "stop.lawyer", "stop.dispute", "stop.deceased", "stop.incapacity", "stop.hardship",
         "stop.time_barred", "stop.dishonest_listed", "stop.opt_out"]  # fmt: skip


@pytest.mark.parametrize("version", ["cn@2025-02-28", "cn@2026-01-30", "us-regf@2021-11-30"])
def test_every_rule_is_documented(version):
    pack = load_pack_version(version.split("@")[0], version)
    assert [r.id for r in pack.rules][: len(STOPS)] == STOPS
    for rule in pack.rules:
        assert rule.basis and rule.explain_zh and rule.explain_en
        if rule.basis_status == "engineering_default":
            assert "工程默认值" in rule.basis or "engineering default" in rule.basis.lower()
        if rule.family == "hours":
            assert rule.channels == ALL_CHANNELS - {Channel.LETTER}


def test_kinds_and_checks_agree():
    assert sorted(KINDS) == sorted(CHECKS)


# --- overrides -----------------------------------------------------------------------------------------


def test_stricter_overrides_are_applied_and_recorded():
    base = load_pack_version("cn", "2026-01-30")
    strict = apply_overrides(
        base,
        {
            "cn.hours.night": {"allowed_from": "09:00", "allowed_until": "21:00", "honour_agreement": False},
            "cn.freq.connected_calls": {"max": 2, "channels": ["call", "bot_call", "sms"]},
            "cn.party.third_party": {"grounds": ["deceased"]},
        },
    )
    hours = strict.rule("cn.hours.night")
    assert (hours.value("allowed_from"), hours.value("allowed_until")) == (time(9), time(21))
    assert hours.value("honour_agreement") is False
    calls = strict.rule("cn.freq.connected_calls")
    assert calls.value("max") == 2
    assert calls.channels == frozenset({Channel.CALL, Channel.BOT_CALL, Channel.SMS})
    assert strict.rule("cn.party.third_party").value("grounds") == frozenset({"deceased"})
    assert strict.overrides["cn.freq.connected_calls"] == {"max": 2, "channels": ["bot_call", "call", "sms"]}
    assert strict.version_id == base.version_id
    assert base.rule("cn.freq.connected_calls").value("max") == 3  # the base pack is untouched
    # equal values are fine, and overrides stack
    again = apply_overrides(
        strict, {"cn.freq.connected_calls": {"max": 1}, "cn.hours.night": {"allowed_from": "09:00"}}
    )
    assert again.rule("cn.freq.connected_calls").value("max") == 1
    assert again.overrides["cn.hours.night"]["allowed_until"] == "21:00"


@pytest.mark.parametrize(
    ("overrides", "field", "en_part"),
    [
        (
            {"cn.hours.night": {"allowed_until": "23:00"}},
            "cn.hours.night.allowed_until",
            "may only be made earlier",
        ),
        (
            {"cn.hours.night": {"allowed_from": "07:00"}},
            "cn.hours.night.allowed_from",
            "may only be made later",
        ),
        ({"cn.freq.connected_calls": {"max": 4}}, "cn.freq.connected_calls.max", "may only be lowered"),
        (
            {"cn.freq.attempts_per_number": {"window_days": 0}},
            "cn.freq.attempts_per_number.window_days",
            "may only be raised",
        ),
        (
            {"cn.party.third_party": {"require_no_disclosure": False}},
            "cn.party.third_party.require_no_disclosure",
            "set to true",
        ),
        ({"cn.hours.night": {"channels": ["call"]}}, "cn.hours.night.channels", "extended with more items"),
        ({"stop.dishonest_listed": {"route": "nowhere"}}, "stop.dishonest_listed.route", "left unchanged"),
        ({"stop.bankrupt": {"pressure_only": True}}, "stop.bankrupt.pressure_only", "set to false"),
    ],
)
def test_looser_overrides_are_refused(overrides, field, en_part):
    base = load_pack_version("cn", "2026-01-30")
    with pytest.raises(PolicyError) as exc:
        apply_overrides(base, overrides)
    assert exc.value.code == "policy_override_looser"
    assert list(exc.value.fields) == [field]
    assert field in exc.value.zh and field in exc.value.en
    assert en_part in exc.value.en


def test_override_errors():
    base = load_pack_version("cn", "2026-01-30")
    cases = [
        ({"cn.hours.dawn": {"allowed_from": "09:00"}}, "policy_override_unknown_rule"),
        ({"cn.hours.night": {"opens": "09:00"}}, "policy_override_unknown_param"),
        ({"cn.freq.connected_calls": {"max": "two"}}, "policy_override_invalid"),
        ({"cn.hours.night": {"allowed_from": "9am"}}, "policy_override_invalid"),
        ({"cn.hours.night": {"allowed_from": "21:00", "allowed_until": "20:00"}}, "policy_override_invalid"),
        ({"cn.hours.night": "strict"}, "policy_override_invalid"),
        ({"cn.party.third_party": {"grounds": ["bored"]}}, "policy_override_invalid"),
    ]
    for overrides, code in cases:
        with pytest.raises(PolicyError) as exc:
            apply_overrides(base, overrides)
        assert exc.value.code == code, overrides
    # a value equal to the base is as strict as the base
    assert (
        apply_overrides(base, {"stop.dispute": {"pressure_only": True}})
        .rule("stop.dispute")
        .value("pressure_only")
        is True
    )
    assert apply_overrides(base, {}) is base
    assert apply_overrides(base, None) is base


def test_us_pack_overrides():
    us = load_pack("us-regf", date(2026, 1, 1))
    strict = apply_overrides(us, {"us.freq.seven_in_seven": {"max": 5, "per": ["debt_id"]}})
    assert strict.rule("us.freq.seven_in_seven").value("per") == frozenset({"debt_id"})
    with pytest.raises(PolicyError) as exc:
        apply_overrides(us, {"us.freq.seven_in_seven": {"per": ["debt_id", "party", "contact_id"]}})
    assert exc.value.code == "policy_override_looser"
    assert "reduced to fewer items" in exc.value.en


# --- validation of pack files --------------------------------------------------------------------------


def mutate(fn) -> dict:
    data = copy.deepcopy(raw("cn", "2026-01-30"))
    fn(data)
    return data


def rule_of(data: dict, rule_id: str) -> dict:
    return next(r for r in data["rules"] if r["id"] == rule_id)


@pytest.mark.parametrize(
    ("change", "where", "en_part"),
    [
        (lambda d: d.update(owner="x"), "x.yaml", "unknown key(s) owner"),
        (
            lambda d: rule_of(d, "cn.hours.night").update(colour="red"),
            "rules[12](cn.hours.night)",
            "unknown key(s) colour",
        ),
        (
            lambda d: rule_of(d, "cn.hours.night")["params"]["allowed_from"].update(value=480),
            "allowed_from.value",
            "write times quoted",
        ),
        (
            lambda d: rule_of(d, "cn.hours.night")["params"]["allowed_from"].update(value="25:00"),
            "allowed_from.value",
            "invalid time",
        ),
        (
            lambda d: rule_of(d, "cn.hours.night")["params"]["allowed_from"].update(stricter="lower"),
            "allowed_from.stricter",
            "direction",
        ),
        (
            lambda d: rule_of(d, "cn.hours.night")["params"].pop("honour_agreement"),
            "params",
            "missing field honour_agreement",
        ),
        (lambda d: rule_of(d, "cn.hours.night").update(kind="moon"), "kind", "unknown rule kind 'moon'"),
        (
            lambda d: rule_of(d, "cn.hours.night").update(channels=["pigeon"]),
            "channels",
            "unknown value(s) pigeon",
        ),
        (
            lambda d: rule_of(d, "cn.hours.night")["texts"]["deny"].update(en="At {clock}"),
            "texts.deny.en",
            "unknown placeholder(s) clock",
        ),
        (lambda d: rule_of(d, "cn.hours.night")["texts"].pop("info"), "texts", "missing text info"),
        (
            lambda d: rule_of(d, "cn.hours.night").update(basis_status="rumour"),
            "basis_status",
            "must be one of",
        ),
        (
            lambda d: rule_of(d, "cn.hours.night").update(id="stop.dispute"),
            "rules",
            "duplicate rule id: stop.dispute",
        ),
        (lambda d: d.update(effective_from="someday"), "effective_from", "YYYY-MM-DD"),
        (lambda d: d.update(effective_zone="Mars/Base"), "effective_zone", "unknown time zone"),
        (
            lambda d: rule_of(d, "stop.dispute")["params"]["flag"].update(value="angry"),
            "flag",
            "unknown flag angry",
        ),
    ],
)
def test_invalid_pack_files_are_refused(change, where, en_part):
    with pytest.raises(PolicyError) as exc:
        parse_pack(mutate(change), "x.yaml")
    assert exc.value.code == "policy_pack_invalid"
    assert where in exc.value.en
    assert en_part in exc.value.en
    assert exc.value.zh.startswith("x.yaml")


def test_pack_file_name_must_match(tmp_path: Path):
    folder = tmp_path / "cn"
    folder.mkdir()
    target = folder / "2020-01-01.yaml"
    target.write_text((PACKS_DIR / "cn" / "2026-01-30.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_pack_file(target)
    assert "2026-01-30.yaml" in exc.value.en
    bad = folder / "2026-01-30.yaml"
    bad.write_text("rules: [", encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_pack_file(bad)
    assert "YAML cannot be parsed" in exc.value.en


def test_third_party_and_party_rules_apply_to_the_right_parties():
    cn = load_pack_version("cn", "2026-01-30")
    assert cn.rule("cn.party.third_party").parties == frozenset({Party.THIRD_PARTY})
    assert cn.rule("cn.party.guarantor").parties == frozenset({Party.GUARANTOR})
    assert cn.rule("stop.lawyer").parties == frozenset({Party.DEBTOR, Party.LAWYER})
