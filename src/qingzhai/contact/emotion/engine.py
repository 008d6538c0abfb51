"""The emotion classifier: lexicon and rules by default, or a plugged-in model (anything with
`classify(text) -> Emotion`), optionally blended with the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, runtime_checkable

from qingzhai.contact.emotion.lexicon import EMOTIONS, Lexicon, default_lexicon
from qingzhai.contact.emotion.rules import RuleScorer


@dataclass(frozen=True)
class Emotion:
    """One utterance's emotion: `label` in EMOTIONS, `score` its probability, `scores` all five (summing
    to 1), `cues` the phrases and signals that decided it (a negated phrase is written ¬phrase)."""

    label: str
    score: float
    scores: dict[str, float] = field(hash=False)
    cues: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "emotion": self.label,
            "score": self.score,
            "scores": dict(self.scores),
            "cues": list(self.cues),
        }


@runtime_checkable
class EmotionModel(Protocol):
    """A trained model that can stand in for (or be blended with) the lexicon rules."""

    def classify(self, text: str) -> Emotion: ...


def _decide(scores: dict[str, float], cues: tuple[str, ...]) -> Emotion:
    rounded = {e: round(scores[e], 4) for e in EMOTIONS}
    label = max(EMOTIONS, key=lambda e: (scores[e], -EMOTIONS.index(e)))
    return Emotion(label, rounded[label], rounded, cues)


class Classifier:
    """Classifies debtor utterances.

    With no model, the lexicon rules decide. With `model`, its scores are mixed with the rules' as
    `model_weight * model + (1 - model_weight) * rules` (model_weight=1.0, the default, uses the model alone).
    """

    def __init__(
        self, lexicon: Lexicon | None = None, model: EmotionModel | None = None, model_weight: float = 1.0
    ) -> None:
        if not 0.0 <= model_weight <= 1.0:
            raise ValueError("model_weight must be between 0 and 1")
        self.lexicon = lexicon or default_lexicon()
        self.model = model
        self.model_weight = model_weight
        self._rules = RuleScorer(self.lexicon)

    def rule_emotion(self, text: str) -> Emotion:
        """The lexicon rules' answer alone."""
        scored = self._rules.score(text)
        lex = self.lexicon
        raw = dict(scored.raw)
        raw["calm"] += lex.calm_prior
        total = sum(raw.values()) + lex.smoothing * len(EMOTIONS)
        return _decide({e: (raw[e] + lex.smoothing) / total for e in EMOTIONS}, scored.cues)

    def classify(self, text: str) -> Emotion:
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        if self.model is None:
            return self.rule_emotion(text)
        found = self.model.classify(text)
        if found.label not in EMOTIONS:
            raise ValueError(f"model returned unknown emotion {found.label!r}")
        if self.model_weight >= 1.0:
            return found
        ours = self.rule_emotion(text)
        w = self.model_weight
        mixed = {e: w * float(found.scores.get(e, 0.0)) + (1 - w) * ours.scores[e] for e in EMOTIONS}
        return _decide(mixed, tuple(dict.fromkeys((*ours.cues, *found.cues))))

    def classify_many(self, texts: Iterable[str]) -> list[Emotion]:
        return [self.classify(t) for t in texts]


@lru_cache(maxsize=1)
def default_classifier() -> Classifier:
    """The shipped lexicon-rules classifier, built once per process."""
    return Classifier()


def classify(text: str) -> Emotion:
    """Classify one debtor utterance with the default classifier."""
    return default_classifier().classify(text)
