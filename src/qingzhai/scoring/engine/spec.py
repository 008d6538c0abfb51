"""What a training run is asked for, and what it gives back: the contract every engine module shares.

Pure: no Django import. Probabilities are always P(label == 1), where the label definition says what
1 means (for a repayment model: "recovered"; for a credit dataset: "default"). Scores are points on a
PDO scale that rise with that probability's odds: points = base_points + pdo / ln 2 * ln(odds / base_odds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["scorecard", "gbm"]
KindChoice = Literal["scorecard", "gbm", "auto"]

# Column names (lower-cased, stripped) that are protected attributes: never features, always reported on.
PROTECTED_DEFAULT: dict[str, tuple[str, ...]] = {
    "gender": ("gender", "sex", "性别"),
    "ethnicity": ("ethnicity", "ethnic", "race", "nationality_ethnic", "民族", "种族"),
    "religion": ("religion", "religious", "宗教", "宗教信仰"),
}


class ScoringError(Exception):
    """A problem with the data or the request that the user can fix; bilingual, names the column."""

    code = "scoring_error"

    def __init__(self, message_zh: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        self.field = field

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "field": self.field,
        }


class LeakageError(ScoringError):
    """A feature equals the label, is a deterministic function of it, or determines it exactly."""

    code = "label_leakage"


@dataclass(frozen=True)
class LabelDefinition:
    """What the label means; stored with every model.

    kind: "column" (a CSV column; `positive` lists the values that mean 1, empty = 1/true/yes/是/bad...),
          "recovered_share" (params: share, window_days), "paid_any" (params: window_days),
          "promise_kept" (params: window_days), "stage_reached" (params: stages).
    """

    code: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    kind: str = "column"
    params: dict[str, Any] = field(default_factory=dict)
    positive: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "description_zh": self.description_zh,
            "description_en": self.description_en,
            "kind": self.kind,
            "params": dict(self.params),
            "positive": list(self.positive),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LabelDefinition:
        return cls(
            code=d["code"],
            name_zh=d["name_zh"],
            name_en=d["name_en"],
            description_zh=d["description_zh"],
            description_en=d["description_en"],
            kind=d.get("kind", "column"),
            params=dict(d.get("params") or {}),
            positive=tuple(d.get("positive") or ()),
        )


@dataclass(frozen=True)
class FeatureInfo:
    """One model input. dtype: "numeric" or "categorical". direction: +1 the label's probability can
    only rise with the value, -1 only fall, 0 unknown. name_zh/name_en label it in reasons."""

    name: str
    dtype: Literal["numeric", "categorical"]
    name_zh: str = ""
    name_en: str = ""
    direction: int = 0
    unit: str = ""

    def label(self, lang: str) -> str:
        if lang == "zh":
            return self.name_zh or self.name
        return self.name_en or self.name

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "direction": self.direction,
            "unit": self.unit,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureInfo:
        return cls(
            name=d["name"],
            dtype=d["dtype"],
            name_zh=d.get("name_zh", ""),
            name_en=d.get("name_en", ""),
            direction=int(d.get("direction", 0)),
            unit=d.get("unit", ""),
        )


@dataclass(frozen=True)
class Dropped:
    """A column that is not a feature, and why (reason: identifier, protected, constant, empty,
    date, target, excluded, too_many_levels, text)."""

    column: str
    reason: str
    detail_zh: str
    detail_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "reason": self.reason,
            "detail_zh": self.detail_zh,
            "detail_en": self.detail_en,
        }


@dataclass(frozen=True)
class Scaling:
    base_points: float = 600.0
    base_odds: float = 1.0
    pdo: float = 40.0

    def as_dict(self) -> dict[str, Any]:
        return {"base_points": self.base_points, "base_odds": self.base_odds, "pdo": self.pdo}


@dataclass(frozen=True)
class TrainSpec:
    target: str
    kind: KindChoice = "auto"
    time_col: str | None = None
    seed: int = 42
    test_size: float = 0.2
    label: LabelDefinition | None = None  # None: a "column" label named after the target
    protected_extra: tuple[str, ...] = ()  # more protected columns a client names
    exclude: tuple[str, ...] = ()  # columns never to use
    features: tuple[FeatureInfo, ...] = ()  # known metadata (names, directions) by column name
    monotone: dict[str, int] = field(default_factory=dict)  # column -> +1/-1, overrides FeatureInfo
    scaling: Scaling = field(default_factory=Scaling)
    auto_margin: float = 0.01  # auto prefers the scorecard when its validation AUC is within this
    id_col: str | None = None  # a column carried into score output (case id, row id), never a feature


@dataclass(frozen=True)
class Reason:
    """One reason behind a score: the feature, its value as shown, and its effect in points
    (negative: it lowers the score, i.e. lowers P(label == 1))."""

    feature: str
    value: Any
    points: float
    text_zh: str
    text_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "value": self.value,
            "points": round(float(self.points), 2),
            "text_zh": self.text_zh,
            "text_en": self.text_en,
        }
