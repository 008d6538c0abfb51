"""Text normalisation for utterance screening, with a map back to the original text.

One utterance becomes a *normalised* string that the matchers work on:

* Traditional characters become Simplified (OpenCC ``t2s``), full-width forms become half-width (NFKC),
  letters become lower case.
* Separators (spaces, punctuation, symbols, zero-width characters) disappear between Chinese characters
  ("打 死-你" -> "打死你") and inside letter-spaced words ("k.i.l.l", "f*ck", "don't" -> "kill", "fck",
  "dont"); between ordinary words a single space stays, so English word boundaries survive.
* Listed pinyin-initial abbreviations ("zl", "lxjr") are replaced by the Chinese words they stand for,
  but only when the abbreviation is a whole Latin token and the utterance is Chinese.

For every normalised character the original ``[start, end)`` offsets are kept, together with the clause,
sentence and "unit" (one Chinese character or one word) it belongs to, so that spans, negation scope and
distances can be computed on the normalised text and reported on the original.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

# Separator characters that end a clause (negation scope) and those that end a sentence (pattern reach).
# NFKC has already turned full-width punctuation into ASCII, except the ideographic ones listed here.
_CLAUSE_BREAKS = frozenset(",;:!?\n\r。，；：！？…")
_SENTENCE_BREAKS = frozenset("!?\n\r。！？")
# Punctuation that, with no space around it, is taken as an evasion or contraction inside a word.
_INWORD_JOINERS = frozenset(".-'’‘_*`~^+|/\\\"#@$&=·")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def is_cjk(ch: str) -> bool:
    """True for Chinese characters (and kana), which count one unit each and have no spaces."""
    if "\u4e00" <= ch <= "\u9fff":
        return True
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3040 <= o <= 0x30FF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FFFF
    )


def is_word_char(ch: str) -> bool:
    """Letters and digits of alphabetic scripts (words are separated by spaces)."""
    return ch.isalnum() and not is_cjk(ch)


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified with the same length (character-by-character where phrases differ)."""
    if text.isascii():
        return text
    cc = _t2s()
    try:
        out: str = cc.convert(text)
    except UnicodeEncodeError:  # lone surrogates cannot be encoded for OpenCC
        out = ""
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        c = ch if "\ud800" <= ch <= "\udfff" else cc.convert(ch)
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """NFKC + lower case for one character; separators and zero-width characters fold to ''."""
    if ch in _ZERO_WIDTH:
        return ""
    out = unicodedata.normalize("NFKC", ch).lower()
    return out


@dataclass(slots=True)
class Normalized:
    """A normalised utterance with per-character maps back to the original text."""

    original: str
    norm: str
    starts: list[int]
    ends: list[int]
    clause: list[int]
    sentence: list[int]
    unit: list[int]
    question_clauses: frozenset[int] = field(default_factory=frozenset)
    has_cjk: bool = False

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text span of the normalised range ``[start, end)`` (end exclusive, end > start)."""
        return self.starts[start], self.ends[end - 1]

    def gap_units(self, end_a: int, start_b: int) -> int:
        """Units strictly between a range ending at ``end_a`` and one starting at ``start_b``."""
        if start_b <= end_a:
            return 0 if start_b == end_a else -1
        return self.unit[start_b] - self.unit[end_a - 1] - 1 if end_a > 0 else self.unit[start_b]


def normalize(
    text: str,
    *,
    abbreviations: Mapping[str, str] | None = None,
    chinese: bool | None = None,
) -> Normalized:
    """Normalise ``text``; see the module docstring.

    ``abbreviations`` maps a lower-case Latin token to the Chinese it stands for; it is applied only when
    the utterance is Chinese (``chinese`` true, or ``None`` and the text contains Chinese characters).
    """
    simplified = to_simplified(text)
    # 1. fold characters; content characters keep their original index, separators are collected.
    content: list[tuple[str, int]] = []  # (char, original index)
    cjk_flags: list[bool] = []
    seps_before: list[str] = []  # separator run before each content char
    pending: list[str] = []
    has_cjk = False
    for i, ch in enumerate(simplified):
        if "\u4e00" <= ch <= "\u9fff":  # fast path: common Chinese characters
            content.append((ch, i))
            cjk_flags.append(True)
            seps_before.append("".join(pending) if pending else "")
            pending.clear()
            has_cjk = True
            continue
        folded = (ch.lower() if ch.isalpha() else ch) if ch.isascii() else _fold(ch)
        for c in folded:
            if c.isalnum():
                content.append((c, i))
                cjk = is_cjk(c)
                cjk_flags.append(cjk)
                seps_before.append("".join(pending) if pending else "")
                pending.clear()
                has_cjk = has_cjk or cjk
            else:
                pending.append(c)
    trailing = "".join(pending)
    use_abbr = bool(abbreviations) and (has_cjk if chinese is None else chinese)

    # 2. group into tokens: each Chinese character alone, runs of word characters together.
    tokens: list[tuple[int, int, bool]] = []  # (first content idx, end content idx, is_word)
    n = len(content)
    k = 0
    while k < n:
        if cjk_flags[k]:
            tokens.append((k, k + 1, False))
            k += 1
            continue
        j = k + 1
        while j < n and not cjk_flags[j] and not seps_before[j]:
            j += 1
        tokens.append((k, j, True))
        k = j

    # 3. join word tokens split by in-word punctuation ("f*ck", "don't") or letter-spacing ("k i l l").
    nt = len(tokens)
    join_prev = [False] * nt
    possessive = [False] * nt
    for t in range(1, nt):
        a, b, is_word = tokens[t]
        if is_word and tokens[t - 1][2]:
            sep = seps_before[a]
            if len(sep) <= 3 and all(ch in _INWORD_JOINERS for ch in sep):
                join_prev[t] = True
                if b - a == 1 and content[a][0] == "s" and sep in ("'", "’"):
                    possessive[t] = True  # "jenna's", "attorney's": the possessive s is dropped
    t = 0
    while t < nt:
        # runs of >= 3 single-letter tokens separated by spaces or joiners only
        r = t
        while (
            r + 1 < nt
            and tokens[r][2]
            and tokens[r][1] - tokens[r][0] == 1
            and tokens[r + 1][2]
            and tokens[r + 1][1] - tokens[r + 1][0] == 1
            and not any(ch in _CLAUSE_BREAKS for ch in seps_before[tokens[r + 1][0]])
        ):
            r += 1
        if r - t + 1 >= (2 if use_abbr or (chinese is None and has_cjk) or chinese else 3):
            for x in range(t + 1, r + 1):
                join_prev[x] = True
        t = r + 1
    words: list[tuple[int, int, bool]] = []  # merged (first content idx, end content idx, is_word)
    for t in range(nt):
        a, b, is_word = tokens[t]
        if possessive[t]:
            continue
        if join_prev[t]:
            pa, _, _ = words[-1]
            words[-1] = (pa, b, True)
        else:
            words.append((a, b, is_word))

    # 4. emit normalised characters with their maps.
    norm_chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    clause: list[int] = []
    sentence: list[int] = []
    unit: list[int] = []
    question: set[int] = set()
    clause_id = 0
    sentence_id = 0
    unit_id = -1
    prev_is_word = False
    for w_index, (a, b, is_word) in enumerate(words):
        sep = seps_before[a]
        # an ASCII full stop ends a sentence only when a space follows it ("Pay. We will"), not inside
        # words ("k.i.l.l", "坐.牢")
        full_stop = "." in sep and any(ch.isspace() for ch in sep)
        if sep and w_index > 0 and (full_stop or any(ch in _CLAUSE_BREAKS for ch in sep)):
            if "?" in sep:
                question.add(clause_id)
            clause_id += 1
            if full_stop or any(ch in _SENTENCE_BREAKS for ch in sep):
                sentence_id += 1
        if is_word:
            # letters and digits only (joined pieces lose their separators)
            chars = content[a:b]
            word = "".join(c for c, _ in chars)
            expansion = abbreviations.get(word) if use_abbr and abbreviations is not None else None
            if expansion:
                o_start, o_end = content[a][1], content[b - 1][1] + 1
                for c in expansion:
                    unit_id += 1
                    norm_chars.append(c)
                    starts.append(o_start)
                    ends.append(o_end)
                    clause.append(clause_id)
                    sentence.append(sentence_id)
                    unit.append(unit_id)
                prev_is_word = False
                continue
            unit_id += 1
            if prev_is_word:
                o = chars[0][1]
                norm_chars.append(" ")
                starts.append(o)
                ends.append(o)
                clause.append(clause_id)
                sentence.append(sentence_id)
                unit.append(unit_id)
        else:
            unit_id += 1
            chars = [content[a]]
        for c, o in chars:
            norm_chars.append(c)
            starts.append(o)
            ends.append(o + 1)
            clause.append(clause_id)
            sentence.append(sentence_id)
            unit.append(unit_id)
        prev_is_word = is_word
    if "?" in trailing:
        question.add(clause_id)
    return Normalized(
        original=text,
        norm="".join(norm_chars),
        starts=starts,
        ends=ends,
        clause=clause,
        sentence=sentence,
        unit=unit,
        question_clauses=frozenset(question),
        has_cjk=has_cjk,
    )


def normalize_term(term: str) -> str:
    """The normalised form of a lexicon term, so that data and text are compared alike."""
    return normalize(term).norm
