"""Intent recognition for debtor turns: lexicon rules from ``data/intents.yaml``, slots (amount, date,
instalment count, discount, ID digits) parsed from the Chinese, and an optional pluggable model.

    rec = Recognizer()
    rec.recognize("下周五先还一千五", today=date(2026, 5, 13))
    # Intent(name='promise', slots={'amount_fen': 150000, 'date': date(2026, 5, 22)}, ...)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import yaml

from qingzhai.contact.dialog.parsing import (
    DIGITS,
    parse_amount_fen,
    parse_count,
    parse_date,
    parse_discount_pct,
)

LEXICON_PATH = Path(__file__).with_name("data") / "intents.yaml"

# Every intent the engine understands (scripts may name only these in their transitions).
INTENTS: tuple[str, ...] = (
    "affirm",
    "deny",
    "identity_confirmed",
    "wrong_number",
    "third_party",
    "promise",
    "instalment",
    "discount",
    "dispute",
    "hardship",
    "already_paid",
    "ask_human",
    "abuse",
    "silence",
    "ask_who",
    "id_digits",
    "unknown",
)
# Order in which the rule lexicons are tried (first match wins).
RULE_ORDER: tuple[str, ...] = (
    "ask_human",
    "third_party",
    "wrong_number",
    "not_me",
    "abuse",
    "already_paid",
    "dispute",
    "hardship",
    "instalment",
    "discount",
    "promise",
    "identity_confirmed",
    "ask_who",
    "deny",
    "affirm",
)
_SILENCE = re.compile(
    r"^[\s.。…,，!！?？~～\-—]*$|^[（(\[【]?(沉默|无应答|silence)[）)\]】]?$", re.IGNORECASE
)
_PUNCT = re.compile(r"[\s,，.。!！?？~～、;；:：\"'“”‘’（）()【】\[\]…—-]+")
_ID_DIGITS = re.compile(r"(?<![\d])(\d{3}[\dXx])(?![\d])")
_A_NOT_A = re.compile(r"能不能|可不可以|行不行|是不是|好不好|要不要|可以不|行吗|可以吗|好吗")
_CN_DIGITS = re.compile(rf"[{''.join(DIGITS)}]{{4}}")


@dataclass(frozen=True)
class Intent:
    """A recognised intent with its slots; ``source`` is ``rules``, ``model`` or ``none``."""

    name: str
    slots: dict[str, Any] = field(default_factory=dict)
    source: str = "rules"
    cue: str | None = None
    confidence: float = 1.0

    def as_dict(self) -> dict[str, Any]:
        slots = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.slots.items()}
        return {
            "name": self.name,
            "slots": slots,
            "source": self.source,
            "cue": self.cue,
            "confidence": round(self.confidence, 3),
        }


@runtime_checkable
class IntentModel(Protocol):
    """A pluggable model: the best intent name for an utterance and its confidence, or None."""

    def predict(self, text: str) -> tuple[str, float] | None: ...


@dataclass(frozen=True)
class Lexicon:
    version: int
    cues: dict[str, tuple[str, ...]]
    unless: dict[str, tuple[str, ...]]


class LexiconError(ValueError):
    def __init__(self, code: str, zh: str, en: str, field: str = "") -> None:
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en, self.field = code, zh, en, field


def load_lexicon(path: str | Path = LEXICON_PATH) -> Lexicon:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    raw = data.get("intents")
    if not isinstance(raw, dict):
        raise LexiconError(
            "lexicon_invalid", "意图词表缺少 intents", "intent lexicon has no intents", "intents"
        )
    cues: dict[str, tuple[str, ...]] = {}
    unless: dict[str, tuple[str, ...]] = {}
    for name, spec in raw.items():
        if name not in RULE_ORDER:
            raise LexiconError(
                "lexicon_unknown_intent", f"未知意图：{name}", f"unknown intent: {name}", f"intents.{name}"
            )
        words = spec.get("cues") if isinstance(spec, dict) else None
        if not words or not all(isinstance(w, str) and w for w in words):
            raise LexiconError(
                "lexicon_no_cues",
                f"意图 {name} 没有线索词",
                f"intent {name} has no cues",
                f"intents.{name}.cues",
            )
        cues[name] = tuple(sorted((normalize(w) for w in words), key=len, reverse=True))
        unless[name] = tuple(normalize(w) for w in spec.get("unless") or ())
    return Lexicon(int(data.get("version") or 1), cues, unless)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, punctuation and spaces removed."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()


def extract_slots(text: str, today: date) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    amount = parse_amount_fen(text)
    if amount is not None:
        slots["amount_fen"] = amount
    when = parse_date(text, today)
    if when is not None:
        slots["date"] = when
    count = parse_count(text)
    if count is not None:
        slots["count"] = count
    pct = parse_discount_pct(text)
    if pct is not None:
        slots["discount_pct"] = pct
    m = _ID_DIGITS.search(text.replace(" ", ""))
    if (
        m
        and "amount_fen" not in slots
        and not re.search(rf"{re.escape(m.group(1))}\s*(元|块|号|日|年)", text)
    ):
        slots["digits"] = m.group(1).upper()
    else:
        cm = _CN_DIGITS.search(text)
        if cm and "amount_fen" not in slots:
            slots["digits"] = "".join(str(DIGITS[c]) for c in cm.group(0))
    return slots


class Recognizer:
    """Rules first; a ``model`` (see :class:`IntentModel`) answers when the rules find nothing, or always
    when ``prefer_model`` is set and it is at least ``threshold`` confident."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        model: IntentModel | None = None,
        threshold: float = 0.7,
        prefer_model: bool = False,
    ) -> None:
        self.lexicon = lexicon or default_lexicon()
        self.model = model
        self.threshold = threshold
        self.prefer_model = prefer_model

    def rules(self, text: str) -> tuple[str, str | None]:
        norm = normalize(text)
        plain = _A_NOT_A.sub("", norm)  # "能不能少点" asks, it does not refuse
        for name in RULE_ORDER:
            words = self.lexicon.cues.get(name)
            if not words:
                continue
            # a one-character cue (好, 行, 是) counts only where the answer starts with it
            hit = next((w for w in words if (w in plain if len(w) > 1 else plain.startswith(w))), None)
            if hit is None:
                continue
            if any(u in plain for u in self.lexicon.unless.get(name, ())):
                continue
            return ("wrong_number" if name == "not_me" else name), hit
        return "unknown", None

    def recognize(self, text: str, *, today: date) -> Intent:
        if _SILENCE.match(text or ""):
            return Intent("silence", {}, "rules", None)
        slots = extract_slots(text, today)
        name, cue = self.rules(text)
        if name in ("unknown", "affirm", "identity_confirmed", "deny") and "digits" in slots:
            name, cue = "id_digits", slots["digits"]
        elif name in ("unknown", "affirm", "deny") and "discount_pct" in slots:
            name, cue = "discount", None  # "能不能打个八折"
        elif name in ("unknown", "affirm", "deny") and "count" in slots and "date" not in slots:
            name, cue = "instalment", None  # "分六个月行吗"
        elif name in ("unknown", "affirm") and ("date" in slots or "amount_fen" in slots):
            name = "promise"  # "下周五吧", "好，三千": a date or an amount given in answer is a promise
        if self.model is not None and (name == "unknown" or self.prefer_model):
            guess = self.model.predict(text)
            if guess is not None and guess[0] in INTENTS and guess[1] >= self.threshold:
                return Intent(guess[0], slots, "model", None, float(guess[1]))
        if name == "unknown":
            return Intent("unknown", slots, "none", None, 0.0)
        return Intent(name, slots, "rules", cue)
