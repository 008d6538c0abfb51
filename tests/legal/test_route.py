"""The legal route advisor (pure): costs, expected recovery, availability, signals, history, limitation."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from qingzhai.legal.route import (
    DEFAULT_FILE,
    ENV_VAR,
    REQUIRED,
    History,
    RouteError,
    RouteInputs,
    Signal,
    advise,
    load_baselines,
    parse_baselines,
)

# Round numbers, so every figure below can be checked by hand: i / 365 = 0.0001 per day.
TEST_VALUES: dict[str, float | int] = {
    "min_history": 20,
    "discount_rate_annual": 0.0365,
    "signal_weight.high": 0.25,
    "signal_weight.medium": 0.15,
    "signal_weight.low": 0.05,
    "max_uplift": 0.5,
    "limitation.warn_days": 180,
    "limitation.wait_penalty": 0.5,
    "limitation.expired_factor": 0.5,
    "demand.p_success": 0.3,
    "demand.duration_days": 10,
    "demand.recovery_rate": 1.0,
    "demand.cost_fen": 50_000,
    "payment_order.p_success": 0.6,
    "payment_order.duration_days": 20,
    "payment_order.recovery_rate": 0.5,
    "payment_order.handling_fen": 100_000,
    "suit.p_success": 0.8,
    "suit.duration_days.small_claims": 50,
    "suit.duration_days.simple": 100,
    "suit.duration_days.ordinary": 200,
    "suit.recovery_rate": 0.5,
    "suit.handling_fen": 200_000,
    "suit.disputed_factor": 0.5,
    "mediation.p_success": 0.4,
    "mediation.duration_days": 30,
    "mediation.recovery_rate": 0.9,
    "mediation.handling_fen": 50_000,
    "wait.p_repay": 0.1,
    "wait.duration_days": 100,
    "wait.recovery_rate": 0.5,
    "wait.decay": 0.8,
}


def _yaml(**overrides: object) -> str:
    doc: dict = {"status": "default"}
    for key, value in {**TEST_VALUES, **overrides}.items():
        node = doc
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = {"value": value, "source": f"test figure for {key}"}
    return yaml.safe_dump(doc, allow_unicode=True)


B = parse_baselines(_yaml())
ESCROW = Signal(
    "escrow_funded", "预售资金监管账户已入账", "The escrow account was funded", "business record #7", "high"
)
ASSETS = Signal(
    "new_assets", "逾期后新购房产", "A flat bought after default", "property 沪(2026)123", "medium"
)
# RMB 100,000: acceptance 2,300.00, halved 1,150.00, payment order 766.67, preservation 1,020.00 (§4.4)
BASE = RouteInputs(
    balance_fen=10_000_000,
    principal_fen=9_000_000,
    p_repay=0.5,
    debtor_kind="person",
    servable=True,
    whereabouts_known=True,
    disputed=False,
    limitation_days_left=400,
    on=date(2026, 6, 1),
)


def _row(advice, code):
    o = advice.option(code)
    return (
        o.cost_fen,
        o.duration_days,
        o.p_success,
        o.expected_recovery_fen,
        o.net_fen,
        o.basis,
        o.available,
    )


def test_hand_computed_case():
    a = advise(BASE, B)
    # demand: 10,000,000 x 0.3 x 1.0 / (1 + 0.0001 x 10) = 2,997,002.997 -> 2,997,003; cost 500.00
    assert _row(a, "demand") == (50_000, 10, 0.3, 2_997_003, 2_947_003, "default", True)
    # payment order: 10,000,000 x [0.6 x 0.5 / 1.002 + 0.4 x 0.8 x 0.5 / (1 + 0.0001 x 120)]
    #   = 2,994,011.976 + 1,581,027.668 = 4,575,039.644 -> 4,575,040
    # cost: fee 76,667 + handling 100,000 + 0.4 x ((115,000 - 76,667) + 200,000) = 95,333.2 -> 95,333
    assert _row(a, "payment_order") == (272_000, 20, 0.6, 4_575_040, 4_303_040, "default", True)
    assert a.option("payment_order").cost_breakdown == {
        "payment_order_fee": 76_667,
        "handling": 100_000,
        "expected_conversion": 95_333,
    }
    # suit (simple, halved fee): 10,000,000 x 0.8 x 0.5 / 1.01 = 3,960,396.04; cost 115,000 + 200,000
    assert _row(a, "suit") == (315_000, 100, 0.8, 3_960_396, 3_645_396, "default", True)
    assert a.option("suit").cost_breakdown == {"acceptance_fee": 115_000, "handling": 200_000}
    assert a.option("suit").procedure == "simple"
    assert a.option("suit").notes == (
        (
            "默认值来源：成功率 test figure for suit.p_success；周期 test figure for suit.duration_days.simple；"
            "回收率 test figure for suit.recovery_rate",
            "Defaults: success test figure for suit.p_success; days test figure for "
            "suit.duration_days.simple; recovery test figure for suit.recovery_rate",
        ),
    )
    assert a.option("wait").notes == (
        ("还款概率取自评分模型：50.0%", "Repayment chance from the scoring model: 50.0%"),
    )
    # court mediation: 10,000,000 x 0.4 x 0.9 / 1.003 = 3,589,232.30; cost halved fee 115,000 + 50,000
    assert _row(a, "mediation") == (165_000, 30, 0.4, 3_589_232, 3_424_232, "default", True)
    # wait: 10,000,000 x 0.5 x 0.8 x 0.5 / 1.01 = 1,980,198.02
    assert _row(a, "wait") == (0, 100, 0.4, 1_980_198, 1_980_198, "default", True)
    assert a.recommended == "payment_order"
    assert a.explanation_zh[0] == (
        "建议：申请支付令。预计回收 ¥45,750.40，费用 ¥2,720.00，净额 ¥43,030.40，约 20 天。"
    )
    assert a.explanation_en[1] == ("That is ¥6,576.44 more than the next best, File a suit (net ¥36,453.96).")
    assert a.signals == ()
    assert json.loads(json.dumps(a.as_dict()))["recommended"] == "payment_order"
    assert advise(BASE, B) == a  # deterministic


def test_people_mediation_is_free_and_ordinary_suit_pays_the_full_fee():
    a = advise(replace(BASE, mediation="people", procedure="ordinary"), B)
    assert a.option("mediation").cost_breakdown == {"mediation_fee": 0, "handling": 50_000}
    # ordinary: full fee 230,000; 10,000,000 x 0.4 / 1.02 = 3,921,568.63
    assert _row(a, "suit") == (430_000, 200, 0.8, 3_921_569, 3_491_569, "default", True)
    small = advise(replace(BASE, procedure="small_claims"), B).option("suit")
    assert (small.cost_fen, small.duration_days) == (315_000, 50)


def test_signals_move_the_recommendation_to_a_suit_and_are_named():
    a = advise(replace(BASE, signals=(ESCROW, ASSETS)), B)
    # u = 0.25 + 0.15 = 0.4: suit r = 0.5 x 1.4 = 0.7 -> 10,000,000 x 0.8 x 0.7 / 1.01 = 5,544,554.46
    # cost adds the preservation fee 102,000
    assert _row(a, "suit") == (417_000, 100, 0.8, 5_544_554, 5_127_554, "default", True)
    assert a.option("suit").cost_breakdown["preservation_fee"] == 102_000
    assert _row(a, "payment_order")[3:5] == (4_575_040, 4_303_040)  # no preservation with a payment order
    assert a.option("demand").p_success == 0.18  # 0.3 x (1 - 0.4)
    assert a.option("wait").p_success == 0.24  # 0.5 x 0.8 x (1 - 0.4)
    assert a.recommended == "suit"
    assert any("预售资金监管账户已入账" in line and "business record #7" in line for line in a.explanation_zh)
    assert any("The escrow account was funded" in line for line in a.explanation_en)
    assert any("A flat bought after default" in line for line in a.explanation_en)


def test_signals_turn_waiting_into_filing_now():
    # RMB 10,000: acceptance 50.00, halved 25.00, payment order 16.67, preservation 120.00
    quiet = replace(BASE, balance_fen=1_000_000, principal_fen=1_000_000, p_repay=0.9)
    a = advise(quiet, B)
    assert a.recommended == "wait"
    assert a.option("wait").net_fen == 356_436  # 1,000,000 x 0.9 x 0.8 x 0.5 / 1.01
    b = advise(replace(quiet, signals=(ESCROW, ASSETS)), B)
    assert b.recommended == "suit"
    # 1,000,000 x 0.8 x 0.7 / 1.01 = 554,455.45; cost 2,500 + 200,000 + 12,000
    assert b.option("suit").net_fen == 339_955


def test_uplift_is_capped():
    many = tuple(replace(ESCROW, evidence=str(n)) for n in range(4))  # 4 x 0.25 = 1.0 -> capped at 0.5
    a = advise(replace(BASE, signals=many), B)
    assert a.option("wait").p_success == 0.2  # 0.5 x 0.8 x (1 - 0.5)
    assert a.option("suit").expected_recovery_fen == 5_940_594  # r = min(1, 0.75): 6,000,000 / 1.01


def test_payment_order_unavailable_when_disputed_with_reasons():
    a = advise(replace(BASE, disputed=True), B)
    po = a.option("payment_order")
    assert not po.available
    assert [en for _, en in po.unavailable_reasons] == [
        "The debtor disputes the debt: a payment order requires no other debt dispute (CPL art. 225); "
        "an objection would end it"
    ]
    assert "民事诉讼法第225条" in po.unavailable_reasons[0][0]
    assert a.option("suit").p_success == 0.4  # 0.8 x disputed factor 0.5
    assert a.recommended == "mediation"  # 3,424,232 beats suit 1,980,198 - 315,000 and demand
    assert any(line.startswith("不可选「申请支付令」") for line in a.explanation_zh)


def test_payment_order_and_mediation_unavailable_when_missing_or_unserved():
    a = advise(replace(BASE, whereabouts_known=False, servable=False, procedure="small_claims"), B)
    po = a.option("payment_order")
    assert [en for _, en in po.unavailable_reasons] == [
        "The debtor's whereabouts are unknown (CPLI art. 427(4))",
        "The payment order cannot be served on the debtor (CPL art. 225; CPLI art. 427(5))",
    ]
    assert not a.option("mediation").available
    suit = a.option("suit")
    assert suit.available and suit.procedure == "ordinary" and suit.duration_days == 200
    assert suit.cost_breakdown["acceptance_fee"] == 230_000
    assert any("CPL art. 166" in en for _, en in suit.notes)
    assert any("public notice" in en for _, en in suit.notes)
    assert a.recommended == "suit"


def test_other_payment_order_conditions_and_open_proceedings():
    a = advise(replace(BASE, counter_obligation=True, preservation_applied=True, open_kinds=("suit",)), B)
    reasons = [en for _, en in a.option("payment_order").unavailable_reasons]
    assert reasons == [
        "The creditor owes a counter-performance (CPLI art. 427(3))",
        "Pre-suit preservation was applied for (CPLI art. 427(7))",
        "A suit on the same debt is open (CPLI art. 430)",
    ]
    assert not a.option("suit").available
    assert [en for _, en in a.option("mediation").unavailable_reasons] == [
        "During the suit the court can mediate: record it as the suit ending in mediation"
    ]
    assert a.recommended == "demand"


def test_a_pending_payment_order_makes_a_suit_unavailable():
    a = advise(replace(BASE, open_kinds=("payment_order",)), B)
    assert [en for _, en in a.option("suit").unavailable_reasons] == [
        "A payment order is under way: suing on the same debt would end it (CPLI art. 430); "
        "follow its deadlines first"
    ]
    assert not a.option("payment_order").available
    assert [en for _, en in a.option("mediation").unavailable_reasons] == [
        "There is no mediation in the supervision procedure (CPLI art. 143)"
    ]
    assert a.recommended in ("demand", "wait")
    assert a.explanation_en[0] == (
        "A payment order is under way for this case: follow its deadlines; below, the other routes."
    )
    assert a.explanation_zh[0] == "本案已有进行中的支付令：先按其期限推进，下列为其他路径的比较。"


def test_history_of_twenty_switches_the_basis():
    own = {"payment_order": History(n=20, success_rate=0.9, mean_days=40, recovery_rate=0.8)}
    a = advise(replace(BASE, history=own), B)
    po = a.option("payment_order")
    assert (po.basis, po.p_success, po.duration_days) == ("history", 0.9, 40)
    # 10,000,000 x [0.9 x 0.8 / 1.004 + 0.1 x 0.8 x 0.5 / 1.014] = 7,171,314.74 + 394,477.32
    assert po.expected_recovery_fen == 7_565_792
    assert not any(en.startswith("Defaults:") for _, en in po.notes)
    assert "payment order: success rate, duration and recovery rate from our own 20 closed" in (
        " ".join(a.explanation_en).lower().replace("apply for a ", "")
    )
    assert any("本平台 20 件已结程序" in line for line in a.explanation_zh)
    fewer = advise(replace(BASE, history={"payment_order": replace(own["payment_order"], n=19)}), B)
    assert fewer.option("payment_order").basis == "default"
    assert fewer.option("payment_order").p_success == 0.6


def test_limitation_near_is_flagged_and_penalises_waiting():
    a = advise(replace(BASE, limitation_days_left=150), B)
    assert [s.code for s in a.signals] == ["limitation_near"]
    assert a.option("wait").p_success == 0.4  # 150 days outlast the 100-day wait: no penalty
    assert any("Only 150 days of the limitation period left" in line for line in a.explanation_en)
    assert any("CC art. 195" in en for _, en in a.option("demand").notes)
    b = advise(replace(BASE, limitation_days_left=50), B)
    assert b.option("wait").p_success == 0.2  # ends within the wait: x 0.5
    assert advise(replace(BASE, limitation_days_left=180), B).signals == ()


def test_limitation_expired_says_the_debtor_may_raise_the_defence():
    a = advise(replace(BASE, limitation_days_left=-5), B)
    assert [(s.code, s.evidence) for s in a.signals] == [("limitation_expired", "expired 5 days ago")]
    assert any("may raise the limitation defence (CC art. 192)" in line for line in a.explanation_en)
    assert any("时效抗辩" in line for line in a.explanation_zh)
    assert any("SOL art. 19" in en for _, en in a.option("demand").notes)
    assert not any("interrupts the limitation" in en for _, en in a.option("demand").notes)
    ps = {o.code: o.p_success for o in a.options}
    assert ps == {"demand": 0.3, "payment_order": 0.3, "suit": 0.4, "mediation": 0.2, "wait": 0.2}


def test_no_score_uses_the_default_and_says_so():
    a = advise(replace(BASE, p_repay=None), B)
    assert a.option("wait").p_success == 0.08  # 0.1 x 0.8
    assert a.explanation_en[-1] == "The case has no repayment score: waiting uses the default chance."


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"balance_fen": 0}, "nothing_owed", "balance"),
        ({"p_repay": 1.5}, "p_repay_invalid", "p_repay"),
        ({"procedure": "summary"}, "procedure_invalid", "procedure"),
        ({"mediation": "online"}, "mediation_invalid", "mediation"),
        ({"signals": (replace(ESCROW, strength="huge"),)}, "signal_invalid", "signals"),
        ({"history": {"suit": History(25, 1.2, 10, 0.5)}}, "history_invalid", "history"),
    ],
)
def test_bad_inputs_are_refused_bilingually(change, code, field):
    with pytest.raises(RouteError) as err:
        advise(replace(BASE, **change), B)
    assert (err.value.code, err.value.field) == (code, field)
    assert err.value.zh and err.value.en and err.value.zh != err.value.en


def test_packaged_baselines_are_defaults_with_sources():
    b = load_baselines(DEFAULT_FILE)
    assert set(b.values) == set(REQUIRED)
    assert all(b.sources[k] for k in REQUIRED)
    assert (b["payment_order.p_success"], b.days("payment_order.duration_days")) == (Decimal("0.68"), 28)
    assert b["mediation.p_success"] == Decimal("0.41")
    assert "68%" in b.sources["payment_order.p_success"]
    assert yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))["status"] == "default"
    assert advise(BASE).recommended in ("demand", "payment_order", "suit", "mediation", "wait")


def test_env_override_is_used(tmp_path, monkeypatch):
    path = tmp_path / "b.yaml"
    path.write_text(_yaml(**{"demand.cost_fen": 12_300}), encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(path))
    assert load_baselines()["demand.cost_fen"] == 12_300
    assert advise(BASE).option("demand").cost_fen == 12_300


def _error(tmp_path: Path, text: str) -> RouteError:
    path = tmp_path / f"bad{len(list(tmp_path.iterdir()))}.yaml"  # a new file each time: no cache hit
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RouteError) as err:
        load_baselines(path)
    assert err.value.field == "route_baselines"
    return err.value


def test_bad_baselines_file_is_a_bilingual_error(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(RouteError) as err:
        load_baselines(missing)
    assert err.value.code == "route_baselines_missing"
    assert str(missing) in err.value.zh and ENV_VAR in err.value.en
    assert "无法读取" in err.value.zh and "Cannot read" in err.value.en

    e = _error(tmp_path, "a: [1, 2")
    assert (e.code, "不是有效的 YAML" in e.zh, "not valid YAML" in e.en) == (
        "route_baselines_invalid",
        True,
        True,
    )
    e = _error(tmp_path, "- 1\n- 2\n")
    assert "the top level must be a mapping" in e.en
    e = _error(tmp_path, _yaml().replace("wait:", "waiting:"))
    assert "wait.p_repay is missing" in e.en and "缺少 wait.p_repay" in e.zh
    e = _error(tmp_path, _yaml(**{"suit.p_success": 1.5}))
    assert "suit.p_success must be between 0 and 1: 1.5" in e.en and "须在 0 到 1 之间" in e.zh
    e = _error(tmp_path, _yaml(**{"demand.duration_days": 2.5}))
    assert "demand.duration_days must be a positive whole number" in e.en
    e = _error(tmp_path, _yaml(**{"mediation.handling_fen": "lots"}))
    assert "mediation.handling_fen is not a number: 'lots'" in e.en
    e = _error(tmp_path, _yaml().replace("source: test figure for min_history", "source: ''"))
    assert "min_history has no source" in e.en and "缺少来源" in e.zh
