"""Champion/challenger experiments: stable assignment, hand-checked intervals and tests, the stopping rule."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
import scipy.stats as scipy_stats
from hypothesis import given, settings
from hypothesis import strategies as st

from qingzhai.strategy import experiments as exp
from qingzhai.strategy.experiments import (
    DiffResult,
    ExperimentError,
    assign,
    difference_ci,
    mean_diff_ci,
    proportion_ci,
    should_stop,
)

# --- assignment -------------------------------------------------------------------------------------

VARIANTS = {"champion": 0.5, "challenger_a": 0.3, "challenger_b": 0.2}
N_IDS = 100_000


def test_assignment_is_stable_and_independent_of_call_order():
    ids = [f"case-{i}" for i in range(2000)] + list(range(2000))
    first = {u: assign(u, experiment="sms-tone-2026", variants=VARIANTS, holdout=0.1) for u in ids}
    shuffled = ids[:]
    random.Random(7).shuffle(shuffled)
    second = {u: assign(u, experiment="sms-tone-2026", variants=VARIANTS, holdout=0.1) for u in shuffled}
    assert first == second
    # the order in which the caller lists the variants does not matter (they are taken in name order)
    reordered = dict(reversed(list(VARIANTS.items())))
    assert all(
        assign(u, experiment="sms-tone-2026", variants=reordered, holdout=0.1) == first[u] for u in ids
    )


def test_known_assignment_does_not_drift():
    # Pinned value: SHA-256("e1:42")[:8] / 2**64 — a change in the hashing scheme would reassign live cases.
    u = exp.unit_uniform(42, experiment="e1")
    import hashlib

    assert u == int.from_bytes(hashlib.sha256(b"e1:42").digest()[:8], "big") / 2**64
    assert exp.unit_uniform(42, experiment="e1") == exp.unit_uniform("42", experiment="e1")


def test_shares_match_weights_over_100k_ids():
    counts = Counter(
        assign(i, experiment="letter-vs-call", variants=VARIANTS, holdout=0.1) for i in range(N_IDS)
    )
    expected = {"holdout": 0.1, "champion": 0.9 * 0.5, "challenger_a": 0.9 * 0.3, "challenger_b": 0.9 * 0.2}
    assert set(counts) == set(expected)
    for name, share in expected.items():
        assert counts[name] / N_IDS == pytest.approx(share, abs=0.01), name


def test_unnormalised_weights_and_no_holdout():
    counts = Counter(assign(i, experiment="w", variants={"a": 3, "b": 1}) for i in range(N_IDS))
    assert "holdout" not in counts
    assert counts["a"] / N_IDS == pytest.approx(0.75, abs=0.01)


def test_different_experiment_reshuffles():
    halves = {"a": 1.0, "b": 1.0}
    same = sum(
        assign(i, experiment="exp-one", variants=halves) == assign(i, experiment="exp-two", variants=halves)
        for i in range(N_IDS)
    )
    assert same / N_IDS == pytest.approx(0.5, abs=0.02)


@settings(max_examples=200, deadline=None)
@given(
    unit=st.one_of(st.integers(), st.text(min_size=1)),
    experiment=st.text(min_size=1).filter(str.strip),
    weights=st.dictionaries(
        st.text(min_size=1).filter(lambda s: s.strip() and s != "holdout"),
        st.floats(min_value=1e-6, max_value=1e6),
        min_size=1,
        max_size=6,
    ),
    holdout=st.floats(min_value=0.0, max_value=0.999),
)
def test_assignment_always_names_an_arm_and_is_deterministic(unit, experiment, weights, holdout):
    arm = assign(unit, experiment=experiment, variants=weights, holdout=holdout)
    assert arm in weights or arm == "holdout"
    assert assign(unit, experiment=experiment, variants=weights, holdout=holdout) == arm


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"variants": {}}, "variants_empty"),
        ({"variants": {"a": 0}}, "variant_weight"),
        ({"variants": {"a": -1.0}}, "variant_weight"),
        ({"variants": {"a": math.nan}}, "variant_weight"),
        ({"variants": {"": 1.0}}, "variant_name"),
        ({"variants": {"holdout": 1.0}}, "variant_reserved"),
        ({"variants": {"a": 1.0}, "holdout": 1.0}, "holdout_range"),
        ({"variants": {"a": 1.0}, "holdout": -0.1}, "holdout_range"),
        ({"variants": {"a": 1.0}, "experiment": " "}, "experiment_name"),
    ],
)
def test_bad_assignment_input_raises(kwargs, code):
    kwargs = {"experiment": "e", **kwargs}
    with pytest.raises(ExperimentError) as info:
        assign("u1", **kwargs)
    assert info.value.code == code
    assert info.value.zh and info.value.en
    assert isinstance(info.value, ValueError)


# --- proportions ------------------------------------------------------------------------------------


def test_wilson_hand_checked():
    # Newcombe (1998a) example 81/263. By hand, z = 1.959964, z² = 3.841459:
    #   centre = (81 + z²/2) / (263 + z²) = 82.920729 / 266.841459 = 0.310749
    #   half   = z / (263 + z²) * sqrt(81·182/263 + z²/4) = 1.959964 / 266.841459 * sqrt(56.053232 + 0.960365)
    #          = 0.0073451 * 7.550735 = 0.055461
    #   → (0.255288, 0.366210), published as 0.2553 to 0.3662.
    lo, hi = proportion_ci(81, 263)
    assert round(lo, 4) == 0.2553
    assert round(hi, 4) == 0.3662


def test_wilson_edges():
    lo, hi = proportion_ci(0, 10)
    assert lo == 0.0 and 0.0 < hi < 0.35  # 0.2775
    lo, hi = proportion_ci(10, 10)
    assert hi == 1.0 and 0.65 < lo < 1.0


def test_newcombe_difference_hand_checked():
    # Newcombe (1998b) Table II, example 56/70 − 48/80, method 10: 0.2, 95% CI 0.0524 to 0.3339. By hand:
    #   Wilson 56/70: centre 57.920729/73.841459 = 0.784395, half 1.959964·sqrt(11.2 + 0.960365)/73.841459
    #                 = 0.092559 → (l1, u1) = (0.691834, 0.876953)
    #   Wilson 48/80: centre 49.920729/83.841459 = 0.595418, half 1.959964·sqrt(19.2 + 0.960365)/83.841459
    #                 = 0.104963 → (l2, u2) = (0.490455, 0.700382)
    #   lower = 0.2 − sqrt((0.8 − 0.691834)² + (0.700382 − 0.6)²) = 0.2 − sqrt(0.011700 + 0.010077) = 0.052431
    #   upper = 0.2 + sqrt((0.876953 − 0.8)² + (0.6 − 0.490455)²) = 0.2 + sqrt(0.005922 + 0.012000) = 0.333873
    result = difference_ci(56, 70, 48, 80)
    assert isinstance(result, DiffResult)
    assert result.diff == pytest.approx(0.2)
    assert round(result.lo, 4) == 0.0524
    assert round(result.hi, 4) == 0.3339


def test_pooled_z_test_hand_checked():
    # Pooled p̄ = (56 + 48) / (70 + 80) = 104/150 = 0.693333
    # se = sqrt(p̄(1 − p̄)(1/70 + 1/80)) = sqrt(0.693333 · 0.306667 · 0.0267857) = sqrt(0.00569524) = 0.0754668
    # z = 0.2 / 0.0754668 = 2.65017; two-sided p = 2(1 − Φ(2.65017)) = 2 · 0.0040225 = 0.0080451
    pooled = 104 / 150
    se = math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    result = difference_ci(56, 70, 48, 80)
    assert result.z == pytest.approx(0.2 / se, rel=1e-12)
    assert result.z == pytest.approx(2.65017, abs=1e-5)
    assert result.p_value == pytest.approx(0.0080451, abs=1e-7)
    assert result.p_value == pytest.approx(2 * (1 - scipy_stats.norm.cdf(0.2 / se)), rel=1e-9)


def test_no_variance_in_pooled_outcome_gives_p_one():
    result = difference_ci(0, 20, 0, 30)
    assert result.z == 0.0 and result.p_value == 1.0
    assert result.lo < 0.0 < result.hi


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    n1=st.integers(min_value=1, max_value=5000),
    n2=st.integers(min_value=1, max_value=5000),
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_intervals_are_well_formed(data, n1, n2, confidence):
    s1 = data.draw(st.integers(min_value=0, max_value=n1))
    s2 = data.draw(st.integers(min_value=0, max_value=n2))
    lo, hi = proportion_ci(s1, n1, confidence)
    assert 0.0 <= lo <= s1 / n1 <= hi <= 1.0
    r = difference_ci(s1, n1, s2, n2, confidence)
    assert -1.0 <= r.lo <= r.diff <= r.hi <= 1.0
    assert 0.0 <= r.p_value <= 1.0
    wider = difference_ci(s1, n1, s2, n2, 0.999)
    assert wider.lo <= r.lo + 1e-12 and wider.hi >= r.hi - 1e-12


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((5, 0), "sample_size"),
        ((-1, 10), "successes_range"),
        ((11, 10), "successes_range"),
        ((1.5, 10), "count_type"),
    ],
)
def test_bad_proportion_input_raises(args, code):
    with pytest.raises(ExperimentError) as info:
        proportion_ci(*args)
    assert info.value.code == code
    with pytest.raises(ExperimentError) as info:
        difference_ci(5, 10, *args)
    assert info.value.code == code


@pytest.mark.parametrize("confidence", [0.0, 1.0, 1.5, -0.2])
def test_bad_confidence_raises(confidence):
    with pytest.raises(ExperimentError) as info:
        proportion_ci(5, 10, confidence)
    assert info.value.code == "confidence_range"


# --- means ------------------------------------------------------------------------------------------

# Amount recovered per case, in fen.
A = [10_000, 12_000, 14_000, 16_000, 18_000]  # mean 14 000, variance 1e7
B = [8_000, 9_000, 10_000, 11_000]  # mean 9 500, variance 5e6/3


def test_welch_hand_checked():
    # va/na = 1e7/5 = 2e6, vb/nb = (5e6/3)/4 = 416 666.67, se² = 2 416 666.67, se = 1554.56
    # df = se⁴ / ((2e6)²/4 + 416 666.67²/3) = 5.840278e12 / (1e12 + 5.787037e10) = 5.520788
    result = mean_diff_ci(A, B)
    assert result.diff == 4500.0
    assert result.df == pytest.approx(5.520788, abs=1e-6)
    se = math.sqrt(2e6 + 5e6 / 12)
    # t(0.975, 5.52) lies between the table values t(0.975, 6) = 2.446912 and t(0.975, 5) = 2.570582
    half = result.hi - result.diff
    assert result.diff - result.lo == pytest.approx(half)
    assert 2.446912 * se < half < 2.570582 * se


def test_welch_matches_scipy():
    ci = scipy_stats.ttest_ind(A, B, equal_var=False).confidence_interval(0.95)
    result = mean_diff_ci(A, B)
    assert result.lo == pytest.approx(ci.low, rel=1e-10)
    assert result.hi == pytest.approx(ci.high, rel=1e-10)


@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")
@settings(max_examples=100, deadline=None)
@given(
    a=st.lists(st.floats(min_value=0, max_value=1e7), min_size=2, max_size=40),
    b=st.lists(st.floats(min_value=0, max_value=1e7), min_size=2, max_size=40),
    confidence=st.sampled_from([0.9, 0.95, 0.99]),
)
def test_welch_matches_scipy_on_random_samples(a, b, confidence):
    try:
        result = mean_diff_ci(a, b, confidence)
    except ExperimentError as err:
        assert err.code == "no_variance"
        return
    ci = scipy_stats.ttest_ind(a, b, equal_var=False).confidence_interval(confidence)
    tol = 1e-6 * max(1.0, abs(result.hi - result.lo))
    assert result.lo == pytest.approx(ci.low, abs=tol)
    assert result.hi == pytest.approx(ci.high, abs=tol)


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.706205), (5, 2.570582), (10, 2.228139), (30, 2.042272), (math.inf, 1.959964)],
)
def test_t_quantiles_match_tables(df, expected):
    assert exp.t_quantile(0.95, df) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("a", "b", "code"),
    [
        ([1.0], [1.0, 2.0], "sample_size"),
        ([1.0, 2.0], [], "sample_size"),
        ([1.0, math.nan], [1.0, 2.0], "sample_value"),
        ([3.0, 3.0], [5.0, 5.0, 5.0], "no_variance"),
    ],
)
def test_bad_mean_input_raises(a, b, code):
    with pytest.raises(ExperimentError) as info:
        mean_diff_ci(a, b)
    assert info.value.code == code


# --- stopping rule ----------------------------------------------------------------------------------


def test_not_enough_per_arm_does_not_stop():
    decision = should_stop(90, 100, 10, 100, min_per_arm=500)
    assert not decision.stop and decision.code == "insufficient_sample" and decision.winner is None
    assert decision.reason_zh and decision.reason_en
    assert not should_stop(0, 0, 0, 0, min_per_arm=1).stop


def test_clear_winner_stops():
    decision = should_stop(300, 1000, 200, 1000, min_per_arm=500)
    assert decision.stop and decision.code == "significant" and decision.winner == "a"
    assert decision.p_value is not None and decision.p_value < 0.05
    assert should_stop(200, 1000, 300, 1000, min_per_arm=500).winner == "b"


def test_bonferroni_over_looks():
    # 56/70 vs 48/80 has p = 0.0080: significant at 0.05 with one look, not with 10 looks (threshold 0.005).
    assert should_stop(56, 70, 48, 80, min_per_arm=50).stop
    decision = should_stop(56, 70, 48, 80, min_per_arm=50, looks=10)
    assert not decision.stop and decision.code == "not_significant"


def test_guardrail_stops_and_names_the_failing_arm():
    decision = should_stop(
        100, 400, 100, 400, min_per_arm=1000, complaints_a=2, complaints_b=12, max_complaint_rate=0.02
    )
    assert decision.stop and decision.code == "guardrail"
    assert decision.failing == ("b",) and decision.winner is None
    assert "b" in decision.reason_en
    both = should_stop(1, 10, 1, 10, min_per_arm=5, complaints_a=5, complaints_b=5, max_complaint_rate=0.1)
    assert both.failing == ("a", "b")
    within = should_stop(1, 10, 1, 10, min_per_arm=5, complaints_a=1, complaints_b=0, max_complaint_rate=0.1)
    assert within.failing == () and within.code == "not_significant"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"min_per_arm": 0}, "min_per_arm"),
        ({"min_per_arm": 10, "alpha": 0.0}, "alpha_range"),
        ({"min_per_arm": 10, "looks": 0}, "looks"),
        ({"min_per_arm": 10, "complaints_a": 1, "complaints_b": 1}, "guardrail_incomplete"),
        ({"min_per_arm": 10, "complaints_a": 1, "max_complaint_rate": 0.1}, "guardrail_incomplete"),
        (
            {"min_per_arm": 10, "complaints_a": 1, "complaints_b": 1, "max_complaint_rate": 2.0},
            "guardrail_rate",
        ),
        (
            {"min_per_arm": 10, "complaints_a": 99, "complaints_b": 1, "max_complaint_rate": 0.1},
            "successes_range",
        ),
    ],
)
def test_bad_stopping_input_raises(kwargs, code):
    with pytest.raises(ExperimentError) as info:
        should_stop(5, 20, 5, 20, **kwargs)
    assert info.value.code == code
