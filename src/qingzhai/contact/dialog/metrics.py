"""Script versions compared on simulated calls: promise rate, hand-over rate, violations, mean turns.

Both scripts meet the same debtors: call ``i`` uses persona ``personas[i % len(personas)]`` and seed
``seed + i`` for either script, so the difference is the script's alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qingzhai.contact.dialog.engine import Classify, Screen
from qingzhai.contact.dialog.intents import Recognizer
from qingzhai.contact.dialog.script import Script
from qingzhai.contact.dialog.simulator import PERSONAS, simulate


@dataclass
class ScriptStats:
    script: str
    calls: int = 0
    promises: int = 0
    handovers: int = 0
    violations: int = 0  # in lines said: must be zero
    blocked: int = 0  # lines withheld by screening (fallback said or call handed over)
    turns: int = 0
    promised_fen: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    expected: int = 0  # calls that ended in an outcome the persona allows

    @property
    def promise_rate(self) -> float:
        return self.promises / self.calls if self.calls else 0.0

    @property
    def handover_rate(self) -> float:
        return self.handovers / self.calls if self.calls else 0.0

    @property
    def mean_turns(self) -> float:
        return self.turns / self.calls if self.calls else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "script": self.script,
            "calls": self.calls,
            "promise_rate": round(self.promise_rate, 4),
            "handover_rate": round(self.handover_rate, 4),
            "violations": self.violations,
            "blocked_lines": self.blocked,
            "mean_turns": round(self.mean_turns, 2),
            "promised_fen": self.promised_fen,
            "expected_outcome_rate": round(self.expected / self.calls, 4) if self.calls else 0.0,
            "outcomes": dict(sorted(self.outcomes.items())),
        }


def run_calls(
    script: Script,
    calls: int,
    *,
    today: date,
    seed: int = 0,
    personas: Sequence[str] | None = None,
    classifier: Classify | None = None,
    screener: Screen | None = None,
    recognizer: Recognizer | None = None,
) -> ScriptStats:
    names = list(personas or PERSONAS)
    stats = ScriptStats(script.key)
    rec = recognizer or Recognizer()
    for i in range(calls):
        persona = names[i % len(names)]
        t = simulate(
            persona,
            script,
            seed=seed + i,
            today=today,
            classifier=classifier,
            screener=screener,
            recognizer=rec,
        )
        assert t.outcome is not None
        kind = t.outcome.kind
        stats.calls += 1
        stats.outcomes[kind] += 1
        stats.promises += kind == "promise"
        stats.handovers += kind == "handover"
        stats.violations += t.violations
        stats.blocked += t.blocked
        stats.turns += len(t.turns)
        stats.promised_fen += t.outcome.promise_amount_fen or 0
        stats.expected += kind in PERSONAS[persona].outcomes
    return stats


def compare(
    script_a: Script,
    script_b: Script,
    calls: int,
    *,
    today: date,
    seed: int = 0,
    personas: Sequence[str] | None = None,
    classifier: Classify | None = None,
    screener: Screen | None = None,
) -> dict[str, Any]:
    """Both scripts over the same ``calls`` simulated debtors; B minus A for each rate."""
    a = run_calls(
        script_a, calls, today=today, seed=seed, personas=personas, classifier=classifier, screener=screener
    )
    b = run_calls(
        script_b, calls, today=today, seed=seed, personas=personas, classifier=classifier, screener=screener
    )
    return {
        "calls": calls,
        "seed": seed,
        "business_date": today.isoformat(),
        "personas": list(personas or PERSONAS),
        "a": a.as_dict(),
        "b": b.as_dict(),
        "difference": {
            "promise_rate": round(b.promise_rate - a.promise_rate, 4),
            "handover_rate": round(b.handover_rate - a.handover_rate, 4),
            "violations": b.violations - a.violations,
            "mean_turns": round(b.mean_turns - a.mean_turns, 2),
        },
    }
