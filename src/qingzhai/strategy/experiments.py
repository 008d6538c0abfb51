"""Champion/challenger experiments (pure: no Django): stable assignment, intervals, a stopping rule.

Assignment
    `assign` hashes ``f"{experiment}:{unit_id}"`` with SHA-256 and reads the first 8 bytes as a big-endian
    integer divided by 2**64, a number u uniform on [0, 1). The first ``holdout`` share of that interval is
    the hold-out group; the rest is cut into pieces proportional to the variant weights (variants taken in
    name order, so the mapping does not depend on how the caller built the dict). The same unit in the same
    experiment always lands in the same arm; a different experiment name gives an unrelated hash and hence
    an independent assignment.

Proportions (e.g. "paid within 30 days")
    `proportion_ci` is the Wilson score interval (Wilson 1927; recommended by Newcombe 1998a and by
    Brown, Cai & DasGupta 2001): the set of p for which |p̂ - p| / sqrt(p(1-p)/n) <= z, which is

        (s + z²/2) / (n + z²)  ±  z / (n + z²) * sqrt(s(n-s)/n + z²/4).

    Unlike the Wald interval it stays inside [0, 1] and keeps close to nominal coverage for small n.

    `difference_ci` gives p1 - p2 with Newcombe's hybrid score interval, method 10 of Newcombe (1998b),
    "Interval estimation for the difference between independent proportions: comparison of eleven
    methods", Statistics in Medicine 17:873-890. With Wilson limits (l1, u1) and (l2, u2):

        lower = d - sqrt((p̂1 - l1)² + (u2 - p̂2)²)
        upper = d + sqrt((u1 - p̂1)² + (p̂2 - l2)²).

    The test statistic is the classical pooled two-proportion z-test: with p̄ = (s1 + s2) / (n1 + n2),
    z = (p̂1 - p̂2) / sqrt(p̄(1-p̄)(1/n1 + 1/n2)) and the two-sided p-value 2·(1 - Φ(|z|)). The interval and
    the test are different procedures, so in borderline cases one may exclude 0 while the other is not
    significant; the stopping rule uses the test.

Means (e.g. amount recovered per case, in fen)
    `mean_diff_ci` is Welch's (1947) t interval: mean(a) - mean(b) ± t(df) · sqrt(va/na + vb/nb) with the
    Welch-Satterthwaite degrees of freedom df = (va/na + vb/nb)² / ((va/na)²/(na-1) + (vb/nb)²/(nb-1)),
    where va and vb are sample variances (denominator n - 1). It does not assume equal variances.

Normal and t quantiles come from scipy.stats.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import norm
from scipy.stats import t as student_t

HOLDOUT = "holdout"


class ExperimentError(ValueError):
    def __init__(self, code: str, zh: str, en: str, *, field: str = "experiment") -> None:
        self.code, self.zh, self.en, self.field = code, zh, en, field
        super().__init__(f"{code}: {en}")


@dataclass(frozen=True)
class DiffResult:
    """p1 - p2 with its Newcombe (method 10) interval and the pooled z-test."""

    diff: float
    lo: float
    hi: float
    z: float
    p_value: float


@dataclass(frozen=True)
class MeanDiffResult:
    """mean(a) - mean(b) with Welch's t interval and its degrees of freedom."""

    diff: float
    lo: float
    hi: float
    df: float


@dataclass(frozen=True)
class StopDecision:
    """Outcome of `should_stop`. `winner` is the arm with the higher success rate when the test decides;
    `failing` names the arm(s) over the complaint guardrail."""

    stop: bool
    code: str
    reason_zh: str
    reason_en: str
    winner: str | None = None
    failing: tuple[str, ...] = ()
    p_value: float | None = None


# --- assignment -------------------------------------------------------------------------------------


def unit_uniform(unit_id: str | int, *, experiment: str) -> float:
    """The unit's number in [0, 1) for this experiment: first 8 bytes of SHA-256, divided by 2**64."""
    digest = hashlib.sha256(f"{experiment}:{unit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign(
    unit_id: str | int, *, experiment: str, variants: Mapping[str, float], holdout: float = 0.0
) -> str:
    """The arm of `unit_id` in `experiment`: "holdout" or one of `variants` (name → positive weight)."""
    if not isinstance(experiment, str) or not experiment.strip():
        raise ExperimentError("experiment_name", "实验名称不能为空", "Experiment name must not be empty")
    if isinstance(unit_id, bool) or not isinstance(unit_id, (str, int)) or unit_id == "":
        raise ExperimentError(
            "unit_id", "分配对象编号无效", "Unit id must be a non-empty string or an integer", field="unit_id"
        )
    names = _check_variants(variants)
    if isinstance(holdout, bool) or not isinstance(holdout, (int, float)) or not 0.0 <= holdout < 1.0:
        raise ExperimentError(
            "holdout_range",
            f"留存组比例必须在 [0, 1) 之间：{holdout!r}",
            f"Holdout share must be in [0, 1): {holdout!r}",
            field="holdout",
        )
    u = unit_uniform(unit_id, experiment=experiment)
    if u < holdout:
        return HOLDOUT
    v = (u - holdout) / (1.0 - holdout)  # uniform on [0, 1) given not held out
    total = math.fsum(variants[name] for name in names)
    cumulative = 0.0
    for name in names:
        cumulative += variants[name] / total
        if v < cumulative:
            return name
    return names[-1]  # rounding left the cumulative sum a hair under 1


def _check_variants(variants: Mapping[str, float]) -> list[str]:
    if not isinstance(variants, Mapping) or not variants:
        raise ExperimentError(
            "variants_empty", "至少需要一个实验组", "At least one variant is required", field="variants"
        )
    for name, weight in variants.items():
        if not isinstance(name, str) or not name.strip():
            raise ExperimentError(
                "variant_name", "实验组名称不能为空", "Variant names must be non-empty", field="variants"
            )
        if name == HOLDOUT:
            raise ExperimentError(
                "variant_reserved",
                "“holdout” 是留存组的保留名称",
                "“holdout” is reserved for the holdout group",
                field="variants",
            )
        if (
            isinstance(weight, bool)
            or not isinstance(weight, (int, float))
            or not math.isfinite(weight)
            or weight <= 0
        ):
            raise ExperimentError(
                "variant_weight",
                f"实验组 {name} 的权重必须为正数：{weight!r}",
                f"Weight of variant {name} must be a positive number: {weight!r}",
                field="variants",
            )
    return sorted(variants)


# --- distributions ----------------------------------------------------------------------------------


def z_quantile(confidence: float) -> float:
    """z with P(|Z| <= z) = confidence for a standard normal Z."""
    return float(norm.ppf(1.0 - (1.0 - confidence) / 2.0))


def two_sided_p(z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z."""
    return float(2.0 * norm.sf(abs(z)))


def t_quantile(confidence: float, df: float) -> float:
    """t with P(|T| <= t) = confidence for Student's T with `df` (possibly fractional) degrees of freedom."""
    return float(student_t.ppf(1.0 - (1.0 - confidence) / 2.0, df))


# --- intervals and tests ----------------------------------------------------------------------------


def _check_confidence(confidence: float) -> None:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0.0 < confidence < 1.0:
        raise ExperimentError(
            "confidence_range",
            f"置信水平必须在 (0, 1) 之间：{confidence!r}",
            f"Confidence level must be in (0, 1): {confidence!r}",
            field="confidence",
        )


def _check_counts(successes: int, n: int, *, arm: str = "", allow_empty: bool = False) -> None:
    label = f"（{arm} 组）" if arm else ""
    label_en = f" (arm {arm})" if arm else ""
    for value in (successes, n):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ExperimentError(
                "count_type",
                f"计数必须为整数{label}：{value!r}",
                f"Counts must be integers{label_en}: {value!r}",
                field="counts",
            )
    if n < 0 or (n == 0 and not allow_empty):
        raise ExperimentError(
            "sample_size",
            f"样本量必须为正数{label}：{n}",
            f"Sample size must be positive{label_en}: {n}",
            field="counts",
        )
    if not 0 <= successes <= n:
        raise ExperimentError(
            "successes_range",
            f"成功数必须在 0 到样本量之间{label}：{successes}/{n}",
            f"Successes must be between 0 and the sample size{label_en}: {successes}/{n}",
            field="counts",
        )


def _wilson(successes: int, n: int, z: float) -> tuple[float, float]:
    z2 = z * z
    denom = n + z2
    centre = (successes + z2 / 2.0) / denom
    half = z / denom * math.sqrt(successes * (n - successes) / n + z2 / 4.0)
    p_hat = successes / n
    # Exactly 0 (or 1) when no (or every) unit succeeded, and always containing p̂, whatever the rounding.
    lo = 0.0 if successes == 0 else min(p_hat, centre - half)
    hi = 1.0 if successes == n else max(p_hat, centre + half)
    return lo, hi


def proportion_ci(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval (lo, hi) for a proportion successes/n (Wilson 1927; Newcombe 1998a)."""
    _check_counts(successes, n)
    _check_confidence(confidence)
    return _wilson(successes, n, z_quantile(confidence))


def pooled_z(s1: int, n1: int, s2: int, n2: int) -> float:
    """Pooled two-proportion z statistic; 0 when every unit (or none) succeeded, as there is no variance."""
    pooled = (s1 + s2) / (n1 + n2)
    se = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    return 0.0 if se == 0.0 else (s1 / n1 - s2 / n2) / se


def difference_ci(s1: int, n1: int, s2: int, n2: int, confidence: float = 0.95) -> DiffResult:
    """p1 - p2 with Newcombe's hybrid score interval (1998b, method 10) and the pooled z-test."""
    _check_counts(s1, n1, arm="a")
    _check_counts(s2, n2, arm="b")
    _check_confidence(confidence)
    z_crit = z_quantile(confidence)
    p1, p2 = s1 / n1, s2 / n2
    l1, u1 = _wilson(s1, n1, z_crit)
    l2, u2 = _wilson(s2, n2, z_crit)
    d = p1 - p2
    lo = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    z = pooled_z(s1, n1, s2, n2)
    return DiffResult(diff=d, lo=lo, hi=hi, z=z, p_value=two_sided_p(z))


def mean_diff_ci(a: Sequence[float], b: Sequence[float], confidence: float = 0.95) -> MeanDiffResult:
    """mean(a) - mean(b) with Welch's t interval (Welch 1947; Satterthwaite 1946 degrees of freedom)."""
    _check_confidence(confidence)
    xs, ys = _sample(a, "a"), _sample(b, "b")
    na, nb = len(xs), len(ys)
    ma, mb = math.fsum(xs) / na, math.fsum(ys) / nb
    va = math.fsum((x - ma) ** 2 for x in xs) / (na - 1)
    vb = math.fsum((y - mb) ** 2 for y in ys) / (nb - 1)
    wa, wb = va / na, vb / nb
    se2 = wa + wb
    if se2 == 0.0:
        raise ExperimentError(
            "no_variance",
            "两组数据均无差异（方差为零），无法计算区间",
            "Both samples are constant (zero variance); the interval is undefined",
            field="samples",
        )
    # (wa + wb)² / (wa²/(na-1) + wb²/(nb-1)), written with the shares wa/se² and wb/se² so that tiny or
    # huge variances neither underflow nor overflow.
    fa, fb = wa / se2, wb / se2
    df = 1.0 / (fa * fa / (na - 1) + fb * fb / (nb - 1))
    half = t_quantile(confidence, df) * math.sqrt(se2)
    d = ma - mb
    return MeanDiffResult(diff=d, lo=d - half, hi=d + half, df=df)


def _sample(values: Sequence[float], arm: str) -> list[float]:
    out: list[float] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ExperimentError(
                "sample_value",
                f"{arm} 组含有无效数值：{value!r}",
                f"Sample {arm} contains an invalid value: {value!r}",
                field="samples",
            )
        out.append(float(value))
    if len(out) < 2:
        raise ExperimentError(
            "sample_size",
            f"{arm} 组至少需要两个观测值",
            f"Sample {arm} needs at least two observations",
            field="samples",
        )
    return out


# --- stopping rule ----------------------------------------------------------------------------------


def should_stop(
    s1: int,
    n1: int,
    s2: int,
    n2: int,
    *,
    min_per_arm: int,
    alpha: float = 0.05,
    looks: int = 1,
    complaints_a: int | None = None,
    complaints_b: int | None = None,
    max_complaint_rate: float | None = None,
) -> StopDecision:
    """Decide at an interim look whether to stop an A/B comparison of success rates (a = s1/n1, b = s2/n2).

    1. Guardrail (checked first, at every look, whatever the sample size): when `max_complaint_rate` is
       given, an arm whose complaint rate complaints/n exceeds it stops the experiment and is named in
       `failing`. This is a point-estimate safety check, deliberately trigger-happy: harm to debtors is not
       something to wait for significance on.
    2. Until both arms have at least `min_per_arm` units nothing else is decided (no early peeking).
    3. Efficacy: stop when the pooled two-proportion z-test gives p < alpha / looks, where `looks` is the
       number of interim analyses planned in advance. Splitting alpha equally over the looks is the
       Bonferroni bound, which keeps the overall false-positive rate at or below alpha however the looks
       are correlated; it is more conservative than group-sequential boundaries such as Pocock (1977) or
       O'Brien-Fleming (1979), but needs no look schedule. The winner is the arm with the higher rate.
    """
    _check_counts(s1, n1, arm="a", allow_empty=True)
    _check_counts(s2, n2, arm="b", allow_empty=True)
    if isinstance(min_per_arm, bool) or not isinstance(min_per_arm, int) or min_per_arm < 1:
        raise ExperimentError(
            "min_per_arm",
            "每组最小样本量必须为正整数",
            "min_per_arm must be a positive integer",
            field="rule",
        )
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 < alpha < 1.0:
        raise ExperimentError(
            "alpha_range", f"显著性水平必须在 (0, 1) 之间：{alpha!r}", f"alpha must be in (0, 1): {alpha!r}",
            field="rule",
        )  # fmt: skip
    if isinstance(looks, bool) or not isinstance(looks, int) or looks < 1:
        raise ExperimentError(
            "looks", "计划查看次数必须为正整数", "looks must be a positive integer", field="rule"
        )

    failing = _guardrail(n1, n2, complaints_a, complaints_b, max_complaint_rate)
    if failing:
        arms = "、".join(failing)
        return StopDecision(
            stop=True,
            code="guardrail",
            reason_zh=f"{arms} 组投诉率超过上限 {max_complaint_rate:.2%}，停止实验",
            reason_en=f"Complaint rate of arm {' and '.join(failing)} exceeds {max_complaint_rate:.2%}; stop",
            failing=failing,
        )
    if n1 < min_per_arm or n2 < min_per_arm:
        return StopDecision(
            stop=False,
            code="insufficient_sample",
            reason_zh=f"样本量不足：每组至少需要 {min_per_arm}（当前 {n1} / {n2}）",
            reason_en=f"Not enough units: each arm needs {min_per_arm} (now {n1} / {n2})",
        )
    threshold = alpha / looks
    p_value = two_sided_p(pooled_z(s1, n1, s2, n2))
    if p_value < threshold:
        winner = "a" if s1 / n1 > s2 / n2 else "b"
        return StopDecision(
            stop=True,
            code="significant",
            reason_zh=f"差异显著（p = {p_value:.4g} < {threshold:.4g}），{winner} 组胜出",
            reason_en=f"Significant difference (p = {p_value:.4g} < {threshold:.4g}); arm {winner} wins",
            winner=winner,
            p_value=p_value,
        )
    return StopDecision(
        stop=False,
        code="not_significant",
        reason_zh=f"差异尚不显著（p = {p_value:.4g} ≥ {threshold:.4g}），继续实验",
        reason_en=f"No significant difference yet (p = {p_value:.4g} ≥ {threshold:.4g}); continue",
        p_value=p_value,
    )


def _guardrail(
    n1: int, n2: int, complaints_a: int | None, complaints_b: int | None, max_rate: float | None
) -> tuple[str, ...]:
    if max_rate is None:
        if complaints_a is not None or complaints_b is not None:
            raise ExperimentError(
                "guardrail_incomplete",
                "提供了投诉数但未设置投诉率上限",
                "Complaint counts were given without max_complaint_rate",
                field="guardrail",
            )
        return ()
    if isinstance(max_rate, bool) or not isinstance(max_rate, (int, float)) or not 0.0 <= max_rate <= 1.0:
        raise ExperimentError(
            "guardrail_rate",
            f"投诉率上限必须在 [0, 1] 之间：{max_rate!r}",
            f"max_complaint_rate must be in [0, 1]: {max_rate!r}",
            field="guardrail",
        )
    if complaints_a is None or complaints_b is None:
        raise ExperimentError(
            "guardrail_incomplete",
            "设置了投诉率上限时两组都必须提供投诉数",
            "Both complaint counts are required with max_complaint_rate",
            field="guardrail",
        )
    failing = []
    for arm, complaints, n in (("a", complaints_a, n1), ("b", complaints_b, n2)):
        _check_counts(complaints, n, arm=arm, allow_empty=True)
        if n > 0 and complaints / n > max_rate:
            failing.append(arm)
    return tuple(failing)
