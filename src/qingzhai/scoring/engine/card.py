"""The model card: what a reviewer, a regulator or a court needs to know about one model, as data."""

from __future__ import annotations

from typing import Any

from qingzhai.scoring.engine.model import TrainedModel, points_factor

KIND_NAMES = {
    "scorecard": (
        "评分卡（最优分箱 + WOE + 逻辑回归）",
        "Scorecard (optimal binning + WOE + logistic regression)",
    ),
    "gbm": ("梯度提升树（LightGBM，概率校准）", "Gradient boosting (LightGBM, calibrated probabilities)"),
}


def card(model: TrainedModel) -> dict[str, Any]:
    names = {f.name: f for f in model.features}
    importance = sorted(model.estimator.importance().items(), key=lambda kv: -kv[1])
    zh, en = KIND_NAMES.get(model.kind, (model.kind, model.kind))
    out: dict[str, Any] = {
        "model": {
            "kind": model.kind,
            "kind_zh": zh,
            "kind_en": en,
            "trained_at": model.trained_at,
            "seed": model.seed,
            "threshold": round(model.threshold, 6),
            "scaling": model.scaling.as_dict(),
        },
        "label": model.label.as_dict(),
        "data": {
            **model.data,
            "features": [
                {
                    "name": f.name,
                    "name_zh": f.label("zh"),
                    "name_en": f.label("en"),
                    "dtype": f.dtype,
                    "direction": f.direction,
                }
                for f in model.features
            ],
            "dropped": [d.as_dict() for d in model.dropped],
        },
        "metrics": dict(model.metrics),
        "validation": dict(model.validation),
        "calibration": list(model.calibration),
        "importance": [
            {
                "feature": k,
                "name_zh": names[k].label("zh") if k in names else k,
                "name_en": names[k].label("en") if k in names else k,
                "share": round(float(v), 6),
            }
            for k, v in importance
        ],
        "fairness": dict(model.fairness),
        "bands": {
            "edges": model.baseline.get("band_edges", []),
            "test_shares": model.baseline.get("test_bands", {}),
        },
    }
    if model.kind == "scorecard":
        factor = points_factor(model.scaling)
        rows = []
        for row in model.estimator.table():
            r = dict(row)
            if "points_logodds" in r and r["points_logodds"] is not None:
                r["points"] = round(float(r["points_logodds"]) * factor, 2)
            rows.append(r)
        out["scorecard_table"] = rows
    return out
