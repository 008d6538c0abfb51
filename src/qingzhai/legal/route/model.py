"""The route advisor's inputs, options, advice and base rates as data (pure: no Django)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from qingzhai.legal.fees import LegalInputError

ENV_VAR = "QINGZHAI_ROUTE_BASELINES_FILE"
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "route_baselines.yaml"
KINDS = ("demand", "payment_order", "suit", "mediation", "wait")
LABELS = {
    "demand": ("发送催告函（律师函）", "Demand letter (lawyer's letter)"),
    "payment_order": ("申请支付令", "Apply for a payment order"),
    "suit": ("起诉", "File a suit"),
    "mediation": ("调解", "Mediation"),
    "wait": ("暂缓法律行动，继续催收", "Wait: keep collecting without legal action"),
}
PROCEDURES = ("small_claims", "simple", "ordinary")
MEDIATIONS = ("court", "people")
STRENGTHS = ("high", "medium", "low")
ASSET_SIGNALS = ("new_assets", "escrow_funded", "other_creditors_enforcing", "other_creditors_suing")
# key -> type: prob (decimal in [0, 1]), days (int > 0), count (int > 0), fen (int >= 0)
# fmt: off
REQUIRED: dict[str, str] = {
    "min_history": "count",
    "discount_rate_annual": "prob",
    "signal_weight.high": "prob", "signal_weight.medium": "prob", "signal_weight.low": "prob",
    "max_uplift": "prob",
    "limitation.warn_days": "days", "limitation.wait_penalty": "prob", "limitation.expired_factor": "prob",
    "demand.p_success": "prob", "demand.duration_days": "days",
    "demand.recovery_rate": "prob", "demand.cost_fen": "fen",
    "payment_order.p_success": "prob", "payment_order.duration_days": "days",
    "payment_order.recovery_rate": "prob", "payment_order.handling_fen": "fen",
    "suit.p_success": "prob", "suit.duration_days.small_claims": "days",
    "suit.duration_days.simple": "days", "suit.duration_days.ordinary": "days",
    "suit.recovery_rate": "prob", "suit.handling_fen": "fen", "suit.disputed_factor": "prob",
    "mediation.p_success": "prob", "mediation.duration_days": "days",
    "mediation.recovery_rate": "prob", "mediation.handling_fen": "fen",
    "wait.p_repay": "prob", "wait.duration_days": "days", "wait.recovery_rate": "prob", "wait.decay": "prob",
}
# fmt: on
ONE = Decimal(1)
Text = tuple[str, str]


class RouteError(LegalInputError):
    """A refused input or a bad baselines file: code, field, zh and en."""


@dataclass(frozen=True)
class Signal:
    code: str  # new_assets / escrow_funded / other_creditors_enforcing / limitation_near / ...
    zh: str
    en: str
    evidence: str  # what was seen, with its source (record, flag, date)
    strength: str = "medium"  # high / medium / low


@dataclass(frozen=True)
class History:
    """Our own closed proceedings of one kind: count, success share, mean days, recovered share."""

    n: int
    success_rate: float
    mean_days: int
    recovery_rate: float


@dataclass(frozen=True)
class RouteInputs:
    balance_fen: int
    principal_fen: int
    p_repay: float | None  # the scoring model's probability of repaying; None: not scored
    debtor_kind: str  # person / enterprise
    servable: bool  # court documents can be served on the debtor
    whereabouts_known: bool
    disputed: bool  # the debtor disputes the debt (an open dispute)
    limitation_days_left: int | None  # earliest among the open debts; negative: expired
    on: date
    procedure: str | None = None  # suit procedure hint: small_claims / simple / ordinary
    mediation: str = "court"  # court / people
    signals: tuple[Signal, ...] = ()
    history: Mapping[str, History] = field(default_factory=dict)
    counter_obligation: bool = False  # the creditor still owes a performance (CPLI art. 427(3))
    preservation_applied: bool = False  # pre-suit preservation applied for (CPLI art. 427(7))
    open_kinds: tuple[str, ...] = ()  # kinds of proceedings already open for the case


@dataclass(frozen=True)
class Option:
    code: str
    zh: str
    en: str
    available: bool
    unavailable_reasons: tuple[Text, ...]
    cost_fen: int
    cost_breakdown: dict[str, int]
    duration_days: int
    p_success: float
    expected_recovery_fen: int
    net_fen: int
    basis: str  # default / history
    notes: tuple[Text, ...] = ()
    procedure: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["unavailable_reasons"] = [{"zh": zh, "en": en} for zh, en in self.unavailable_reasons]
        out["notes"] = [{"zh": zh, "en": en} for zh, en in self.notes]
        return out


@dataclass(frozen=True)
class Advice:
    on: date
    options: tuple[Option, ...]
    recommended: str
    explanation_zh: tuple[str, ...]
    explanation_en: tuple[str, ...]
    signals: tuple[Signal, ...]

    def option(self, code: str) -> Option:
        return next(o for o in self.options if o.code == code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "recommended": self.recommended,
            "options": [o.as_dict() for o in self.options],
            "explanation": {"zh": list(self.explanation_zh), "en": list(self.explanation_en)},
            "signals": [asdict(s) for s in self.signals],
        }


@dataclass(frozen=True)
class Baselines:
    values: Mapping[str, Decimal]
    sources: Mapping[str, str]
    path: str = ""

    def __getitem__(self, key: str) -> Decimal:
        return self.values[key]

    def days(self, key: str) -> int:
        return int(self.values[key])
