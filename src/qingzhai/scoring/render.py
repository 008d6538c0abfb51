"""The model card as people read it: a presenter that turns the card dict (engine.card.card) into rows for
the templates, a standalone bilingual HTML document, and a fixed-layout PDF (WeasyPrint, Noto CJK).

Every section is optional: a card from an older engine, or a model trained without some part (no
calibration, no protected attributes), shows an explicit "not available" line, never an error."""

from __future__ import annotations

import math
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from qingzhai.core.i18n import bi

METRICS: tuple[tuple[str, str, str, str], ...] = (
    # key, zh, en, format ("ratio": 0.8123, "pct": 81.2 %, "num": plain)
    ("auc", "AUC", "AUC", "ratio"),
    ("ks", "KS", "KS", "ratio"),
    ("gini", "基尼系数", "Gini", "ratio"),
    ("accuracy", "准确率", "Accuracy", "pct"),
    ("f1", "F1", "F1", "ratio"),
    ("precision", "精确率", "Precision", "pct"),
    ("recall", "召回率", "Recall", "pct"),
    ("brier", "Brier 分数", "Brier score", "ratio"),
    ("threshold", "判定阈值", "Threshold", "ratio"),
)
SPLITS = {
    "time": ("按时间切分（样本外时间验证）", "By time (out-of-time validation)"),
    "stratified": ("分层随机切分", "Stratified random split"),
}
KINDS = {"scorecard": ("评分卡", "Scorecard"), "gbm": ("梯度提升树", "Gradient boosting")}
MAX_TABLE_ROWS = 400
COLUMNS = {  # headers of the scorecard bins and the fairness groups
    "feature": ("特征", "Feature"),
    "bin": ("分箱", "Bin"),
    "count": ("样本数", "Rows"),
    "event_rate": ("正例率", "Event rate"),
    "woe": ("WOE", "WOE"),
    "iv": ("IV", "IV"),
    "points_logodds": ("对数几率贡献", "Log-odds points"),
    "points": ("分数", "Points"),
    "group": ("组", "Group"),
    "n": ("样本数", "Rows"),
    "mean_probability": ("平均预测概率", "Mean probability"),
    "positive_rate": ("高分率（≥ 阈值）", "Rate at or above the threshold"),
    "auc": ("AUC", "AUC"),
    "observed_rate": ("实际比例", "Observed rate"),
}


def language(lang: str) -> str:
    return "en" if str(lang).lower().startswith("en") else "zh-hans"


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def fmt(value: Any, style: str = "ratio") -> str:
    number = _num(value)
    if number is None:
        return "—" if value is None or value == "" else str(value)
    if style == "pct":
        return f"{number * 100:.1f}%"
    if style == "int":
        return f"{round(number):,}"
    if style == "ratio":
        return f"{number:.4f}"
    return f"{number:,.2f}"


def _pick(d: dict[str, Any], key: str) -> str:
    """d["key_zh"] or d["key_en"] for the active language, falling back to the other and to d["key"]."""
    zh, en = d.get(f"{key}_zh") or "", d.get(f"{key}_en") or ""
    return bi(zh or en, en or zh) or str(d.get(key) or "")


def kind_label(kind: Any) -> str:
    names = KINDS.get(str(kind or ""))
    return bi(*names) if names else str(kind or "—")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _feature_names(features: list[Any]) -> list[str]:
    out = []
    for f in features:
        if isinstance(f, dict):
            label = _pick(f, "name")
            name = str(f.get("name") or "")
            out.append(f"{label} ({name})" if label and name and label != name else label or name)
        else:
            out.append(str(f))
    return out


def _generic_table(rows: list[Any]) -> dict[str, Any]:
    """A list of dicts as a table: the union of their keys, known ones in COLUMNS order (stored cards
    have their keys sorted), then the others in first-seen order."""
    dict_rows = [r for r in rows if isinstance(r, dict)]
    seen: list[str] = []
    for r in dict_rows:
        seen += [k for k in r if k not in seen]
    columns = [c for c in COLUMNS if c in seen] + [c for c in seen if c not in COLUMNS]
    body = [[_cell(r.get(c)) for c in columns] for r in dict_rows[:MAX_TABLE_ROWS]]
    headers = [bi(*COLUMNS[c]) if c in COLUMNS else c for c in columns]
    return {"columns": headers, "rows": body}


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return fmt(value, "ratio")
    if isinstance(value, dict | list):
        return (
            ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
            if isinstance(value, dict)
            else ", ".join(_cell(v) for v in value)
        )
    return "—" if value is None else str(value)


def _fairness(fairness: dict[str, Any]) -> dict[str, Any]:
    attributes = []
    raw = fairness.get("attributes")
    items: list[tuple[str, Any]]
    if isinstance(raw, dict):
        items = list(raw.items())
    else:
        items = [
            (str(a.get("attribute") or a.get("name") or "") if isinstance(a, dict) else str(a), a)
            for a in _list(raw)
        ]
    for name, body in items:
        entry: dict[str, Any] = {"name": name, "summary": [], "table": None}
        if isinstance(body, dict):
            groups = body.get("groups")
            if isinstance(groups, list):
                entry["table"] = _generic_table(groups)
            elif isinstance(groups, dict):
                entry["table"] = _generic_table([{"group": k, **_dict(v)} for k, v in groups.items()])
            entry["summary"] = [
                _summary_item(k, v)
                for k, v in body.items()
                if k not in ("groups", "attribute", "name", "treatment") and not isinstance(v, list | dict)
            ]
            treatment = body.get("treatment")
            if isinstance(treatment, dict) and treatment:
                entry["treatment"] = _generic_table([{"group": k, **_dict(v)} for k, v in treatment.items()])
        attributes.append(entry)
    return {"attributes": attributes, "note": _pick(fairness, "note")}


FAIRNESS_KEYS = {
    "positive_rate_ratio": ("高分率之比（最低组 / 最高组）", "Positive-rate ratio (lowest / highest group)"),
    "flag": ("四五规则", "Four-fifths rule"),
}


def _summary_item(key: str, value: Any) -> tuple[str, str]:
    name = bi(*FAIRNESS_KEYS[key]) if key in FAIRNESS_KEYS else key
    if key == "flag" and isinstance(value, bool):
        return name, bi("需要复核", "review needed") if value else bi("通过", "passed")
    return name, _cell(value)


def card_context(card: dict[str, Any] | None) -> dict[str, Any]:
    """Rows and labels for the card templates, in the active language."""
    card = _dict(card)
    model, label, data = _dict(card.get("model")), _dict(card.get("label")), _dict(card.get("data"))
    metrics, validation = _dict(card.get("metrics")), _dict(card.get("validation"))
    metric_rows = [
        {"key": key, "name": bi(zh, en), "value": fmt(metrics[key], style)}
        for key, zh, en, style in METRICS
        if key in metrics
    ]
    calibration = []
    for row in _list(card.get("calibration")):
        if not isinstance(row, dict):
            continue
        predicted, observed = _num(row.get("mean_predicted")), _num(row.get("observed_rate"))
        calibration.append(
            {
                "bin": row.get("bin", ""),
                "n": fmt(row.get("n"), "int"),
                "predicted": fmt(predicted, "pct"),
                "observed": fmt(observed, "pct"),
                "predicted_width": round(100 * min(max(predicted or 0.0, 0.0), 1.0), 1),
                "observed_width": round(100 * min(max(observed or 0.0, 0.0), 1.0), 1),
            }
        )
    importance_raw = [r for r in _list(card.get("importance")) if isinstance(r, dict)]
    peak = max([_num(r.get("share")) or 0.0 for r in importance_raw] + [1e-12])
    importance = [
        {
            "feature": str(r.get("feature") or ""),
            "name": _pick(r, "name") or str(r.get("feature") or ""),
            "share": fmt(r.get("share"), "pct"),
            "width": round(100 * max(_num(r.get("share")) or 0.0, 0.0) / peak, 1),
        }
        for r in sorted(importance_raw, key=lambda r: -(_num(r.get("share")) or 0.0))
    ]
    validation_rows = [
        {"kind": kind_label(k), "auc": fmt(_dict(validation.get(k)).get("auc"))}
        for k in ("scorecard", "gbm")
        if k in validation
    ]
    dropped = [
        {"column": str(d.get("column", "")), "reason": str(d.get("reason", "")), "detail": _pick(d, "detail")}
        for d in _list(data.get("dropped"))
        if isinstance(d, dict)
    ]
    split = str(data.get("split_method") or "")
    fairness = card.get("fairness")
    scorecard = _list(card.get("scorecard_table"))
    return {
        "card": card,
        "model": {
            "name": model.get("name") or "—",
            "kind": _pick(model, "kind")
            if model.get("kind_zh") or model.get("kind_en")
            else kind_label(model.get("kind")),
            "version": model.get("version"),
            "trained_at": model.get("trained_at") or "—",
            "seed": model.get("seed", "—"),
        },
        "label": {
            "present": bool(label),
            "code": label.get("code") or "",
            "name": _pick(label, "name") or "—",
            "description": _pick(label, "description"),
        },
        "data": {
            "present": bool(data),
            "n_train": fmt(data.get("n_train"), "int"),
            "n_test": fmt(data.get("n_test"), "int"),
            "positives_train": fmt(data.get("positives_train"), "int"),
            "positives_test": fmt(data.get("positives_test"), "int"),
            "split": bi(*SPLITS[split]) if split in SPLITS else split or "—",
            "cutoff": data.get("cutoff") or "",
            "features": _feature_names(_list(data.get("features"))),
            "dropped": dropped,
        },
        "metric_rows": metric_rows,
        "validation_rows": validation_rows,
        "chosen": kind_label(validation.get("chosen")) if validation.get("chosen") else "",
        "calibration": calibration,
        "importance": importance,
        "scorecard": _generic_table(scorecard) if scorecard else None,
        "scorecard_truncated": len(scorecard) > MAX_TABLE_ROWS,
        "fairness": _fairness(fairness) if isinstance(fairness, dict) else None,
        "bands": _bands(_dict(card.get("bands"))),
    }


def _bands(bands: dict[str, Any]) -> list[dict[str, str]]:
    """Score bands A (best) .. E: the points range of each (edges ascend; a score at or above an edge
    is in the better band, as engine.model.bands_for) and its share of the test rows."""
    edges = sorted(e for e in (_num(x) for x in _list(bands.get("edges"))) if e is not None)
    shares = _dict(bands.get("test_shares"))
    if not edges and not shares:
        return []
    rows = []
    n = len(edges)
    for i in range(n, -1, -1):  # best band first
        letter = chr(ord("A") + n - i)
        lo = edges[i - 1] if i > 0 else None
        hi = edges[i] if i < n else None
        if lo is None and hi is None:
            text = "—"
        elif lo is None:
            text = f"< {hi:.0f}"
        elif hi is None:
            text = f"≥ {lo:.0f}"
        else:
            text = f"{lo:.0f} – {hi:.0f}"
        rows.append({"band": letter, "range": text, "share": fmt(shares.get(letter), "pct")})
    if not edges:
        rows = [{"band": str(b), "range": "—", "share": fmt(v, "pct")} for b, v in sorted(shares.items())]
    return rows


def card_for(scoring_model: Any) -> dict[str, Any]:
    """The stored card of a registry row, with the row's name and version (the engine does not know them)."""
    card = dict(_dict(scoring_model.card))
    card["model"] = {
        **_dict(card.get("model")),
        "name": scoring_model.name,
        "version": scoring_model.version,
        "kind": _dict(card.get("model")).get("kind") or scoring_model.kind,
    }
    if not card.get("label") and scoring_model.label:
        card["label"] = scoring_model.label
    return card


def card_html(card: dict[str, Any], *, lang: str = "zh") -> str:
    """The card as a standalone, print-friendly HTML document."""
    with translation.override(language(lang)):
        return render_to_string("scoring/card.html", {**card_context(card), "lang": language(lang)})


def card_pdf(card: dict[str, Any], *, lang: str = "zh") -> bytes:
    """The card as a PDF (A4, fixed table layout, Noto CJK for the Chinese)."""
    from weasyprint import HTML

    with translation.override(language(lang)):
        html = render_to_string(
            "scoring/card.html", {**card_context(card), "lang": language(lang), "for_pdf": True}
        )
    return HTML(string=html, base_url=None).write_pdf()  # type: ignore[no-any-return]
