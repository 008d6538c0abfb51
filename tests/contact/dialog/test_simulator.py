"""Simulated calls end to end: each persona ends in its branch and outcome; 1,000 calls, zero violations."""

import pytest

from qingzhai.contact.dialog import load_script
from qingzhai.contact.dialog.metrics import compare, run_calls
from qingzhai.contact.dialog.simulator import PERSONAS, persona_info, sample_account, simulate

from .conftest import TODAY, stub_classify

EXPECTED = {
    "cooperative": ({"promise"}, "standard"),
    "anxious": ({"promise"}, "soothing"),
    "angry": ({"handover", "refused", "promise"}, "deescalation"),
    "hardship": ({"hardship"}, "hardship"),
    "disputing": ({"dispute"}, "standard"),
    "wrong_number": ({"wrong_number"}, "standard"),
    "third_party": ({"third_party"}, "standard"),
}


@pytest.fixture(scope="module")
def v1():
    return load_script("standard_v1")


def _call(persona, script, seed, **kw):
    kw.setdefault("classifier", stub_classify)
    return simulate(persona, script, seed=seed, today=TODAY, **kw)


def test_personas_listed():
    assert sorted(PERSONAS) == sorted(EXPECTED)
    assert {p["persona"]: set(p["outcomes"]) for p in persona_info()} == {
        k: v[0] for k, v in EXPECTED.items()
    }


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_ends_in_its_branch(persona, v1):
    outcomes, branch = EXPECTED[persona]
    seen = set()
    for seed in range(25):
        t = _call(persona, v1, seed)
        assert t.outcome.kind in outcomes, (persona, seed, t.outcome)
        assert branch in t.branches, (persona, seed, t.branches)
        assert t.violations == 0
        seen.add(t.outcome.kind)
    if persona == "angry":
        assert seen == outcomes  # some hand over, some give in, some are let go


def test_anxious_always_soothed(v1):
    for seed in range(25):
        t = _call("anxious", v1, seed)
        offers = [x for x in t.bot_turns if x.node == "offer_instalment"]
        assert offers and all(x.branch == "soothing" for x in offers)
        first = next(i for i, x in enumerate(t.bot_turns) if x.branch == "soothing")
        assert all(x.pace == 0.85 for x in t.bot_turns[first:])


def test_angry_always_offered_a_human(v1):
    for seed in range(25):
        t = _call("angry", v1, seed)
        assert "offer_human" in t.nodes and t.branches[:2] == ["standard", "deescalation"]
        if t.outcome.kind == "handover":
            assert t.handover is not None and t.handover.context["emotions"][0] == "angry"


def test_third_party_and_wrong_number_hear_nothing_of_the_debt(v1):
    for persona in ("third_party", "wrong_number"):
        for seed in range(25):
            t = _call(persona, v1, seed)
            assert len(t.bot_turns) <= 4  # greeting, perhaps a silence prompt, the close
            assert not any(w in x.text for x in t.bot_turns for w in ("欠", "逾期", "人民币", "借款"))
            assert t.outcome.mark_number is (persona == "wrong_number")


def test_same_seed_same_call(v1):
    a, b = _call("cooperative", v1, 11), _call("cooperative", v1, 11)
    assert a.digest() == b.digest()
    assert a.digest() != _call("cooperative", v1, 12).digest()
    assert a.as_dict()["turns"][1]["speaker"] == "debtor"


def test_thousand_calls_zero_violations(v1):
    """1,000 seeded calls across all personas screened by the real compliance monitor."""
    stats = run_calls(v1, 1000, today=TODAY, seed=0, classifier=stub_classify)
    assert stats.calls == 1000
    assert stats.violations == 0
    assert stats.expected == 1000  # every call ended in an outcome its persona allows
    assert sum(stats.outcomes.values()) == 1000
    # a surname the monitor mistakes for an insult (朱女士 -> 猪) is met with the safe line, not a hand-over
    assert stats.outcomes["handover"] == stats.handovers


def test_compare_versions(v1):
    v2 = load_script("standard_v2")
    result = compare(v1, v2, 140, today=TODAY, classifier=stub_classify)
    a, b = result["a"], result["b"]
    assert (a["script"], b["script"], a["calls"], b["calls"]) == ("standard_v1", "standard_v2", 140, 140)
    assert a["violations"] == b["violations"] == 0
    # v2 hands over an angry debtor who declined a human; v1 lets them go
    assert a["outcomes"].get("refused", 0) > 0 and b["outcomes"].get("refused", 0) < a["outcomes"]["refused"]
    assert result["difference"]["handover_rate"] == round(b["handover_rate"] - a["handover_rate"], 4) > 0
    assert a["outcomes"]["wrong_number"] == b["outcomes"]["wrong_number"] == 20


def test_sample_accounts_are_valid():
    import random

    rng = random.Random(3)
    for _ in range(200):
        acct = sample_account(rng)
        assert 100000 <= acct.balance_fen <= 5000000 and acct.balance_fen % 10000 == 0
        assert 20000 <= acct.authority.min_first_instalment_fen <= acct.balance_fen
        assert len(acct.id_last4) == 4


def test_with_the_real_emotion_classifier(v1):
    emotion = pytest.importorskip("qingzhai.contact.emotion", reason="emotion package not installed")
    for persona, (outcomes, branch) in EXPECTED.items():
        for seed in range(10):
            t = simulate(persona, v1, seed=seed, today=TODAY, classifier=emotion.classify)
            assert t.outcome.kind in outcomes and branch in t.branches, (persona, seed)
