"""Rules over lexicon matches: negation scope, intensifiers and diminishers, contrast, punctuation
(！, ？？) and repetition. Pure and deterministic.

Text is matched on characters with one Aho-Corasick automaton, longest phrase first, so phrases that carry
their own negation (别再打了, 不想活了) win over the negator inside them. Then, clause by clause (a clause
ends at ，。！？；…):

- a negator (不, 没, 别 …) negates a phrase that starts at most `negation.window` characters after it in
  the same clause; two negators in a row cancel (我不是不想还). A negated phrase counts for the emotion
  its `negated` names (不担心 -> calm, 不同意 -> angry) with weight × `negation.factor`, or not at all;
- intensifiers (很, 非常 …) and diminishers (有点, 稍微 …) standing before a phrase in its window
  multiply its weight (degree words are ignored on a negated phrase);
- after 但是/可是/不过 the phrases weigh × `rules.contrast_factor`;
- each ！ (up to three) and each ？ beyond the first in a burst (？？, ？！) add to angry, or to anxious
  when anxious cues outweigh angry ones; so does a character or phrase said three times (打打打).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import ahocorasick

from qingzhai.contact.emotion.lexicon import EMOTIONS, Cue, Lexicon

_CUE, _NEG, _DEG, _CON, _NIL = 0, 1, 2, 3, 4
BREAKS = frozenset("，。！？；,.!?;…~～\n\t 、")
_HALF = str.maketrans({"!": "！", "?": "？", ",": "，", ";": "；", ":": "："})
_QBURST = re.compile(r"[？！]{2,}")
_REPEAT_CHAR = re.compile(r"([\u4e00-\u9fff])\1\1")
_REPEAT_EXEMPT = frozenset("嗯哈啊哦好呃对是行喂")


def normalise(text: str) -> str:
    """Half-width punctuation to full width, runs of spaces to one, ASCII letters upper-cased (ICU, APP)."""
    return " ".join(text.translate(_HALF).split()).upper()


@dataclass(frozen=True)
class Scored:
    raw: dict[str, float]
    cues: tuple[str, ...]


class RuleScorer:
    """Scores one utterance against a lexicon; `raw` holds each emotion's evidence before normalising."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        table: dict[str, tuple[int, Any]] = {}
        for word, cue in lexicon.cues.items():
            if cue.source != "domain":
                table[word] = (_CUE, cue)
        for word in lexicon.contrast:
            table[word] = (_CON, None)
        for word, factor in lexicon.degree.items():
            table[word] = (_DEG, factor)
        for word in lexicon.negators:
            table[word] = (_NEG, word in lexicon.prohibitive)
        for word in lexicon.neutral:
            table[word] = (_NIL, None)
        for word, cue in lexicon.cues.items():  # domain phrases win over everything
            if cue.source == "domain":
                table[word.upper()] = (_CUE, cue)
        automaton = ahocorasick.Automaton()
        for word, payload in table.items():
            automaton.add_word(word, (len(word), *payload))
        automaton.make_automaton()
        self._automaton = automaton

    def cue_matches(self, text: str) -> list[tuple[str, Cue]]:
        """The lexicon phrases found in `text` (longest first, no overlaps), with no rule applied."""
        norm = normalise(text)
        return [
            (norm[end - length + 1 : end + 1], data)
            for end, (length, kind, data) in self._automaton.iter_long(norm)
            if kind == _CUE
        ]

    def score(self, text: str) -> Scored:
        lex = self.lexicon
        norm = normalise(text)
        raw = dict.fromkeys(EMOTIONS, 0.0)
        cues: list[str] = []
        clause = [0] * (len(norm) + 1)
        current = 0
        for i, ch in enumerate(norm):
            if ch in BREAKS:
                current += 1
            clause[i] = current
        neg_end, neg_count, neg_clause, prohibit = -99, 0, -1, False
        deg_end, deg_factor, deg_clause = -99, 1.0, -1
        boost = 1.0
        seen: dict[str, int] = {}
        for end, (length, kind, data) in self._automaton.iter_long(norm):
            start = end - length + 1
            here = clause[start]
            if kind == _NEG:
                chained = here == neg_clause and start - neg_end <= lex.negation_window
                neg_count = neg_count + 1 if chained else 1
                neg_end, neg_clause, prohibit = end + 1, here, bool(data)
            elif kind == _DEG:
                chained = here == deg_clause and start - deg_end <= lex.negation_window
                deg_factor = deg_factor * data if chained else data
                deg_end, deg_clause = end + 1, here
            elif kind == _NIL:
                continue
            elif kind == _CON:
                boost = lex.contrast_factor
                neg_clause = deg_clause = -1
            else:
                word = norm[start : end + 1]
                seen[word] = seen.get(word, 0) + 1
                negated = (
                    neg_clause == here
                    and start - neg_end <= lex.negation_window
                    and neg_count % 2 == 1
                    and not (prohibit and data.emotion == "angry")
                )
                near = deg_clause == here and start - deg_end <= lex.negation_window
                self._add(raw, cues, word, data, negated, deg_factor if near else 1.0, boost)
                neg_clause = deg_clause = -1
        for name, pattern, emotion, weight in lex.patterns:
            if pattern.search(norm):
                raw[emotion] += weight
                cues.append(name)
        self._punctuation(norm, raw, cues, seen)
        return Scored(raw, tuple(cues))

    def _add(
        self,
        raw: dict[str, float],
        cues: list[str],
        word: str,
        cue: Cue,
        negated: bool,
        degree: float,
        boost: float,
    ) -> None:
        if negated:
            if cue.negated is None:
                cues.append(f"¬{word}")
                return
            raw[cue.negated] += cue.weight * self.lexicon.negated_factor * boost
            cues.append(f"¬{word}")
            return
        raw[cue.emotion] += cue.weight * degree * boost
        cues.append(word)

    def _punctuation(self, norm: str, raw: dict[str, float], cues: list[str], seen: dict[str, int]) -> None:
        lex = self.lexicon
        arousal = 0.0
        bangs = min(3, norm.count("！"))
        if bangs:
            arousal += lex.exclamation * bangs
            cues.append("！" * bangs)
        burst = min(3, sum(len(m.group()) - 1 for m in _QBURST.finditer(norm) if "？" in m.group()))
        if burst:
            arousal += lex.question_burst * burst
            cues.append("？" * (burst + 1))
        repeated = any(m.group(1) not in _REPEAT_EXEMPT for m in _REPEAT_CHAR.finditer(norm)) or any(
            n >= 3 for n in seen.values()
        )
        if repeated:
            arousal += lex.repetition
            cues.append("repeat")
        if norm.count("？") and not burst and not bangs:
            raw["calm"] += lex.question
        if arousal:
            if raw["anxious"] > raw["angry"]:
                raw["anxious"] += arousal
            elif raw["angry"] > 0 or not any(raw.values()):
                raw["angry"] += arousal
