"""Disparities in scores and treatment across protected attributes (never features; reported only).

The four-fifths rule: an attribute is flagged when the lowest group's rate of scores at or above the
threshold is below 0.8 of the highest group's, over groups with at least MIN_GROUP rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

MIN_GROUP = 30
FOUR_FIFTHS = 0.8
MISSING_GROUP = "未知"


def report(
    protected: pd.DataFrame,
    prob: np.ndarray,
    threshold: float,
    y: np.ndarray | None = None,
    treatment: pd.Series | None = None,
) -> dict[str, Any]:
    """Per protected attribute and group: size, mean probability, share at/above threshold, AUC,
    observed rate, and (when given) the share of each treatment; plus the four-fifths ratio and flag."""
    p = np.asarray(prob, dtype=float)
    if protected is None or protected.shape[1] == 0:
        return {
            "attributes": [],
            "note_zh": "数据中没有受保护属性（民族、宗教、性别等），无法进行公平性检查。",
            "note_en": "No protected attribute (ethnicity, religion, gender, ...) was present in the data; "
            "no fairness check was possible.",
        }
    if len(protected) != len(p):
        raise ValueError("protected and prob differ in length")
    yy = None if y is None else np.asarray(y, dtype=float).astype(int)
    tr = (
        None
        if treatment is None
        else pd.Series(np.asarray(treatment, dtype=object)).fillna(MISSING_GROUP).map(str)
    )
    attributes: list[dict[str, Any]] = []
    for col in protected.columns:
        values = pd.Series(protected[col].to_numpy(dtype=object)).fillna(MISSING_GROUP).map(str).to_numpy()
        groups = []
        shares: dict[str, dict[str, float]] = {}
        for g in sorted(set(values)):
            mask = values == g
            groups.append(_group(g, p[mask], threshold, None if yy is None else yy[mask]))
            if tr is not None:
                counts = tr[mask].value_counts(normalize=True)
                shares[g] = {str(k): float(counts[k]) for k in sorted(counts.index)}
        rates = [grp["positive_rate"] for grp in groups if grp["n"] >= MIN_GROUP]
        ratio = min(rates) / max(rates) if len(rates) >= 2 and max(rates) > 0 else None
        attributes.append(
            {
                "attribute": str(col),
                "groups": groups,
                "positive_rate_ratio": ratio,
                "flag": bool(ratio is not None and ratio < FOUR_FIFTHS),
                "treatment": shares if tr is not None else None,
            }
        )
    flagged = [str(a["attribute"]) for a in attributes if a["flag"]]
    note_zh = (
        "受保护属性不作为模型特征，仅用于检查差异；按四五规则（样本 ≥ 30 的组中，最低组与最高组的"
        "高分率之比低于 0.8）标记。"
    )
    note_en = (
        "Protected attributes are never model features; they are used only to check disparities, flagged by "
        "the four-fifths rule (among groups of at least 30, lowest over highest rate at or above the threshold < 0.8)."
    )
    if flagged:
        note_zh += f"需要复核：{'、'.join(flagged)}。"
        note_en += f" Review needed: {', '.join(flagged)}."
    return {"attributes": attributes, "note_zh": note_zh, "note_en": note_en}


def _group(name: str, p: np.ndarray, threshold: float, y: np.ndarray | None) -> dict[str, Any]:
    n = len(p)
    auc = None
    if y is not None and len(np.unique(y)) == 2:
        auc = float(roc_auc_score(y, p))
    return {
        "group": name,
        "n": int(n),
        "mean_probability": float(p.mean()) if n else None,
        "positive_rate": float((p >= threshold).mean()) if n else 0.0,
        "auc": auc,
        "observed_rate": float(y.mean()) if y is not None and n else None,
    }
