"""A call as data: turns, outcome and hand-over context, ready to be stored (evidence ledger, database)
by a service; nothing here writes anywhere."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qingzhai.contact.dialog.offers import Plan


@dataclass
class Turn:
    """One utterance. Debtor turns carry ``emotion`` and ``intent``; bot turns carry the compliance result:
    ``compliance`` is ``pass`` (said as written), ``fallback`` (a safe line said instead), ``handover`` (the
    call was handed over instead) or ``withheld`` (nothing said); ``blocked`` lists the lines withheld."""

    index: int
    speaker: str  # "bot" or "debtor"
    text: str
    node: str
    branch: str
    phase: str
    emotion: dict[str, Any] | None = None
    intent: dict[str, Any] | None = None
    compliance: str | None = None
    violations: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[dict[str, Any]] = field(default_factory=list)
    pace: float | None = None
    audio_sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "speaker": self.speaker,
            "text": self.text,
            "node": self.node,
            "branch": self.branch,
            "phase": self.phase,
            "emotion": self.emotion,
            "intent": self.intent,
            "compliance": self.compliance,
            "violations": self.violations,
            "blocked": self.blocked,
            "pace": self.pace,
            "audio_sha256": self.audio_sha256,
        }


@dataclass(frozen=True)
class Outcome:
    """How the call ended. ``mark_number``: the number is not the debtor's and must not be dialled again."""

    kind: str
    node: str
    reason: str = ""
    promise_amount_fen: int | None = None
    promise_date: date | None = None
    plan: Plan | None = None
    mark_number: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "node": self.node,
            "reason": self.reason,
            "promise_amount_fen": self.promise_amount_fen,
            "promise_date": self.promise_date.isoformat() if self.promise_date else None,
            "plan": self.plan.as_dict() if self.plan else None,
            "mark_number": self.mark_number,
        }


@dataclass(frozen=True)
class Handover:
    """What the human agent sees when the call is handed over."""

    reason: str
    summary_zh: str
    summary_en: str
    context: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "summary_zh": self.summary_zh,
            "summary_en": self.summary_en,
            "context": self.context,
        }


@dataclass
class Transcript:
    script: str
    script_version: int
    script_digest: str
    business_date: date
    debtor: str  # masked: 张先生
    turns: list[Turn] = field(default_factory=list)
    outcome: Outcome | None = None
    handover: Handover | None = None

    @property
    def bot_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.speaker == "bot"]

    @property
    def branches(self) -> list[str]:
        """Branches the call went through, in order, without repeats."""
        return list(dict.fromkeys(t.branch for t in self.turns))

    @property
    def nodes(self) -> list[str]:
        return [t.node for t in self.bot_turns]

    @property
    def violations(self) -> int:
        """Violations in lines actually said (screened lines that were withheld do not count)."""
        return sum(len(t.violations) for t in self.bot_turns)

    @property
    def blocked(self) -> int:
        return sum(len(t.blocked) for t in self.bot_turns)

    def as_dict(self) -> dict[str, Any]:
        return {
            "script": self.script,
            "script_version": self.script_version,
            "script_digest": self.script_digest,
            "business_date": self.business_date.isoformat(),
            "debtor": self.debtor,
            "turns": [t.as_dict() for t in self.turns],
            "outcome": self.outcome.as_dict() if self.outcome else None,
            "handover": self.handover.as_dict() if self.handover else None,
            "branches": self.branches,
            "violations": self.violations,
            "blocked": self.blocked,
        }

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the transcript (for the evidence ledger)."""
        body = json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(body.encode("utf-8")).hexdigest()
