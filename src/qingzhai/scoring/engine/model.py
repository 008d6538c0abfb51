"""A trained model: the estimator plus everything needed to score, explain and monitor it.

Saved as a directory (model.json, plus booster.txt for a GBM) or as one JSON payload for the registry;
no pickles anywhere, so a stored model is data, never code.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from qingzhai.scoring.engine import data as data_mod
from qingzhai.scoring.engine import explain
from qingzhai.scoring.engine.spec import Dropped, FeatureInfo, LabelDefinition, Reason, Scaling, ScoringError

PAYLOAD_VERSION = 1
BANDS = ("A", "B", "C", "D", "E")  # A: highest points (most likely label == 1)


class Estimator(Protocol):
    kind: str
    features: list[FeatureInfo]

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray: ...

    def contributions(self, X: pd.DataFrame) -> np.ndarray: ...

    def importance(self) -> dict[str, float]: ...

    def table(self) -> list[dict[str, Any]]: ...

    def to_dict(self) -> dict[str, Any]: ...


def points_factor(scaling: Scaling) -> float:
    return scaling.pdo / math.log(2)


def points_from_prob(p: np.ndarray, scaling: Scaling) -> np.ndarray:
    """Points on the PDO scale: base_points at base_odds, +pdo each time the odds of label == 1 double."""
    q = np.clip(np.asarray(p, dtype=float), 1e-9, 1 - 1e-9)
    factor = points_factor(scaling)
    offset = scaling.base_points - factor * math.log(scaling.base_odds)
    return np.rint(offset + factor * np.log(q / (1 - q))).astype(np.int64)


def bands_for(points: np.ndarray, edges: list[float]) -> list[str]:
    """Band of each score: edges are the 20/40/60/80 % quantiles of the training points (ascending)."""
    if not edges:
        return ["" for _ in range(len(points))]
    idx = np.searchsorted(np.asarray(edges, dtype=float), np.asarray(points, dtype=float), side="right")
    return [BANDS[len(BANDS) - 1 - int(i)] for i in idx]


def estimator_from_dict(d: dict[str, Any]) -> Estimator:
    kind = d.get("kind")
    if kind == "scorecard":
        from qingzhai.scoring.engine.scorecard import ScorecardModel

        return ScorecardModel.from_dict(d)
    if kind == "gbm":
        from qingzhai.scoring.engine.gbm import GbmModel

        return GbmModel.from_dict(d)
    raise ScoringError(f"未知的模型类型：{kind}", f"Unknown model kind: {kind}", field="kind")


@dataclass
class ScoreResult:
    probability: np.ndarray
    points: np.ndarray
    band: list[str]
    reasons: list[list[Reason]]
    ids: list[Any] | None = None

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for i in range(len(self.probability)):
            out.append(
                {
                    "id": None if self.ids is None else self.ids[i],
                    "probability": float(self.probability[i]),
                    "points": int(self.points[i]),
                    "band": self.band[i],
                    "reasons": [r.as_dict() for r in self.reasons[i]] if self.reasons else [],
                }
            )
        return out


@dataclass
class TrainedModel:
    kind: str
    estimator: Estimator
    label: LabelDefinition
    features: list[FeatureInfo]
    categories: dict[str, list[str]]
    scaling: Scaling
    threshold: float
    seed: int
    trained_at: str
    id_col: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)  # held-out test set
    validation: dict[str, Any] = field(default_factory=dict)  # model choice inside training
    calibration: list[dict[str, Any]] = field(default_factory=list)
    fairness: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)  # training distribution, for PSI and bands
    data: dict[str, Any] = field(default_factory=dict)  # row counts, split, target, columns
    dropped: list[Dropped] = field(default_factory=list)

    # --- scoring -------------------------------------------------------------------------------------
    def matrix(self, df: pd.DataFrame) -> pd.DataFrame:
        return data_mod.prepare_for_scoring(df, self.features, self.categories)

    def predict_proba(self, df: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.estimator.predict_proba(self.matrix(df)), dtype=float)

    def score(self, df: pd.DataFrame, *, top: int = 3, reasons: bool = True) -> ScoreResult:
        X = self.matrix(df)
        p = np.asarray(self.estimator.predict_proba(X), dtype=float)
        points = points_from_prob(p, self.scaling)
        band = bands_for(points, self.baseline.get("band_edges", []))
        ids = list(df[self.id_col]) if self.id_col and self.id_col in df.columns else None
        out: list[list[Reason]] = []
        if reasons and top > 0 and len(X):
            out = self._reasons(X, top)
        return ScoreResult(probability=p, points=points, band=band, reasons=out, ids=ids)

    def _reasons(self, X: pd.DataFrame, top: int) -> list[list[Reason]]:
        contrib = np.asarray(self.estimator.contributions(X), dtype=float) * points_factor(self.scaling)
        names = [f.name for f in self.features]
        k = min(len(names), top + 2)  # a little slack: explain.reasons drops negligible effects
        order = np.argsort(-np.abs(contrib), axis=1, kind="stable")[:, :k]
        columns = [X[n].to_numpy(dtype=object) for n in names]
        result = []
        for i in range(contrib.shape[0]):
            js = order[i]
            values = {names[j]: _plain(columns[j][i]) for j in js}
            points = {names[j]: float(contrib[i, j]) for j in js}
            result.append(explain.reasons([self.features[j] for j in js], values, points, top=top))
        return result

    # --- persistence ---------------------------------------------------------------------------------
    def to_payload(self) -> dict[str, Any]:
        return {
            "payload_version": PAYLOAD_VERSION,
            "kind": self.kind,
            "estimator": self.estimator.to_dict(),
            "label": self.label.as_dict(),
            "features": [f.as_dict() for f in self.features],
            "categories": self.categories,
            "scaling": self.scaling.as_dict(),
            "threshold": self.threshold,
            "seed": self.seed,
            "trained_at": self.trained_at,
            "id_col": self.id_col,
            "metrics": self.metrics,
            "validation": self.validation,
            "calibration": self.calibration,
            "fairness": self.fairness,
            "baseline": self.baseline,
            "data": self.data,
            "dropped": [d.as_dict() for d in self.dropped],
        }

    @classmethod
    def from_payload(cls, d: dict[str, Any]) -> TrainedModel:
        if d.get("payload_version") != PAYLOAD_VERSION:
            raise ScoringError(
                f"模型文件版本不受支持：{d.get('payload_version')}",
                f"Unsupported model file version: {d.get('payload_version')}",
                field="payload_version",
            )
        return cls(
            kind=d["kind"],
            estimator=estimator_from_dict(d["estimator"]),
            label=LabelDefinition.from_dict(d["label"]),
            features=[FeatureInfo.from_dict(f) for f in d["features"]],
            categories={k: list(v) for k, v in d.get("categories", {}).items()},
            scaling=Scaling(**d["scaling"]),
            threshold=float(d["threshold"]),
            seed=int(d["seed"]),
            trained_at=d["trained_at"],
            id_col=d.get("id_col"),
            metrics=d.get("metrics", {}),
            validation=d.get("validation", {}),
            calibration=d.get("calibration", []),
            fairness=d.get("fairness", {}),
            baseline=d.get("baseline", {}),
            data=d.get("data", {}),
            dropped=[Dropped(**x) for x in d.get("dropped", [])],
        )

    def sha256(self) -> str:
        return payload_sha256(self.to_payload())

    def save(self, directory: str | Path) -> Path:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        payload = self.to_payload()
        (path / "model.json").write_text(canonical_json(payload, indent=1), encoding="utf-8")
        from qingzhai.scoring.engine.card import card

        (path / "card.json").write_text(canonical_json(card(self), indent=1), encoding="utf-8")
        return path / "model.json"

    @classmethod
    def load(cls, directory: str | Path) -> TrainedModel:
        path = Path(directory)
        file = path / "model.json" if path.is_dir() else path
        try:
            payload = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ScoringError(
                f"找不到模型文件：{file}", f"Model file not found: {file}", field="model"
            ) from exc
        except (OSError, ValueError) as exc:
            raise ScoringError(
                f"无法读取模型文件 {file}：{exc}", f"Cannot read model file {file}: {exc}", field="model"
            ) from exc
        return cls.from_payload(payload)


def canonical_json(payload: Any, indent: int | None = None) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=indent, default=_json_default)


def payload_sha256(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _json_default(o: Any) -> Any:
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return None if not math.isfinite(float(o)) else float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, np.bool_):
        return bool(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if v is pd.NA or v is pd.NaT:
        return None
    return v
