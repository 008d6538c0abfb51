"""The screening engine: one Aho-Corasick pass over the normalised utterance, then rules.

Steps for one utterance:

1. :func:`~qingzhai.compliance.monitor.normalize.normalize` (Traditional -> Simplified, case, separators,
   pinyin-initial abbreviations) with a map back to the original offsets.
2. One Aho-Corasick scan finds every lexicon term and its homophone / look-alike variants, pattern slots,
   context and exception terms, negation cues and lawful-mention terms. English terms must sit on word
   boundaries.
3. For rules marked ``pinyin``, a second scan over toneless pinyin finds homophone spellings of key terms
   ("弄似你", "弄si你" for 弄死你).
4. Pattern slots are joined into sequences; each candidate is checked against its required context, its
   exceptions, jieba word boundaries (rules marked ``boundary``, segmenter loaded on first need),
   clause-local negation and lawful mentions.
5. Overlapping hits of one category merge into one violation; output is sorted by span.
6. Optionally (``learned=True``), :mod:`~qingzhai.compliance.monitor.learned` adds categories the rules did
   not find when a character n-gram classifier is confident and the clause is not negated or lawful.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from pathlib import Path
from typing import Any

import ahocorasick

from qingzhai.compliance.monitor import learned as _learned
from qingzhai.compliance.monitor.lexicon import (
    CATEGORIES,
    DEFAULT_DATA_DIR,
    Lexicon,
    Rule,
    Seq,
    load_lexicon,
)
from qingzhai.compliance.monitor.normalize import Normalized, is_cjk, is_word_char, normalize

_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
_CATEGORY_RANK = {c: i for i, c in enumerate(CATEGORIES)}

# payload kinds in the automaton
_TERM, _SLOT, _CTX, _EXC, _LTERM, _LSLOT, _NEG, _VOID, _BRK, _RHET, _QP, _LNEG, _LSTOP = range(13)
_CUES = (_NEG, _LNEG, _VOID)

# Whether ``Screener()`` uses the learned layer when scikit-learn is installed; see learned.py and
# docs/compliance-lexicons.md section 7 for the cross-validation behind it.
LEARNED_DEFAULT = True

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Violation:
    """One screened violation. ``span`` indexes the original text, end exclusive."""

    category: str
    rule: str
    span: tuple[int, int]
    severity: str
    matched: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "rule": self.rule,
            "span": [self.span[0], self.span[1]],
            "severity": self.severity,
        }


# ------------------------------------------------------------------------------------------ pinyin


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable known to pypinyin (for segmenting Latin pinyin in text)."""
    from pypinyin.constants import PINYIN_DICT

    out: set[str] = set()
    for readings in PINYIN_DICT.values():
        for r in readings.split(","):
            out.add(_strip_tone(r))
    out.discard("")
    return frozenset(out)


def _strip_tone(reading: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
    return base.replace("ü", "v").lower()


def _fuzzy(syllable: str) -> str:
    """Fold the retroflex initials that evasions (and many speakers) confuse: zh/z, ch/c, sh/s."""
    if syllable[:2] in ("zh", "ch", "sh"):
        return syllable[0] + syllable[2:]
    return syllable


@lru_cache(maxsize=65536)
def _char_pinyin(ch: str) -> str:
    """Default toneless reading of one Chinese character, fuzzy-folded ('' if none)."""
    from pypinyin.constants import PINYIN_DICT

    readings = PINYIN_DICT.get(ord(ch))
    return _fuzzy(_strip_tone(readings.split(",")[0])) if readings else ""


def _term_readings(term: str, limit: int = 8) -> list[tuple[str, ...]]:
    """Readings of a term: per character its phrase reading (曝光 -> bao guang) and its default reading
    (曝 -> pu), since text is read character by character; at most ``limit`` combinations."""
    from pypinyin import Style, lazy_pinyin

    phrase = [_fuzzy(_strip_tone(x)) for x in lazy_pinyin(term, style=Style.NORMAL)]
    if len(phrase) != len(term):
        phrase = [_char_pinyin(c) for c in term]
    options = [
        tuple(dict.fromkeys(x for x in (p, _char_pinyin(c)) if x)) for p, c in zip(phrase, term, strict=True)
    ]
    if not all(options):
        return []
    combos: list[tuple[str, ...]] = [()]
    for opts in options:
        combos = [(*c, o) for c in combos for o in opts][:limit]
    return combos


def _segment_pinyin(word: str) -> list[tuple[int, int]] | None:
    """Split a Latin word into pinyin syllables (greedy longest match); None if it is not all pinyin."""
    syl = _syllables()
    out: list[tuple[int, int]] = []
    i = 0
    n = len(word)
    while i < n:
        for size in range(min(6, n - i), 0, -1):
            if word[i : i + size] in syl and not (size == 1 and word[i] not in "aeo"):
                out.append((i, i + size))
                i += size
                break
        else:
            return None
    return out


# ------------------------------------------------------------------------------------------ compile


def _expand(term: str, homophones: dict[str, tuple[str, ...]], limit: int) -> list[str]:
    """The term and its variants (homophones / look-alikes), fewest substitutions first, at most ``limit``."""
    if not homophones:
        return [term]
    keys = sorted(homophones, key=len, reverse=True)
    results: list[tuple[int, str]] = []

    def walk(i: int, built: str, subs: int) -> None:
        if len(results) >= limit * 8:
            return
        if i >= len(term):
            results.append((subs, built))
            return
        walk(i + 1, built + term[i], subs)
        for k in keys:
            if term.startswith(k, i):
                for v in homophones[k]:
                    walk(i + len(k), built + v, subs + 1)

    walk(0, "", 0)
    seen: dict[str, int] = {}
    for subs, s in sorted(results):
        seen.setdefault(s, subs)
    return list(seen)[:limit]


class _Hits:
    """Hits of one utterance, grouped by what they are for."""

    __slots__ = ("ctx", "exc", "lslot", "lstop", "lterm", "neg", "slot", "term")

    def __init__(self) -> None:
        self.term: list[tuple[int, int, int]] = []  # (rule, start, end)
        self.slot: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        self.ctx: dict[int, list[tuple[int, int]]] = {}
        self.exc: dict[int, list[tuple[int, int]]] = {}
        self.lterm: list[tuple[int, int, int]] = []
        self.lslot: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        self.neg: list[tuple[int, int, int]] = []  # (start, end, kind)
        self.lstop: list[int] = []  # starts of lawful-scope stops ("不还", "我们", "就")


class Screener:
    """Compiled lexicons; thread-safe for screening after construction.

    ``learned`` switches the learned layer (:mod:`~qingzhai.compliance.monitor.learned`) on or off; ``None``
    means :data:`LEARNED_DEFAULT`. It is trained from ``<data_dir>/training/*.jsonl`` at first use and stays
    off (rules only) when scikit-learn is not installed or there are no training examples.
    ``learned_thresholds`` overrides :data:`learned.THRESHOLDS` (per category; ``None`` = never added).
    """

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        learned: bool | None = None,
        learned_thresholds: Mapping[str, float | None] | None = None,
    ) -> None:
        self.lexicon: Lexicon = load_lexicon(data_dir)
        self.rules: tuple[Rule, ...] = self.lexicon.rules
        self._jieba: Any = None
        self._jieba_lock = threading.Lock()
        self._compile()
        want = LEARNED_DEFAULT if learned is None else learned
        self._training_dir = (Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR) / (
            _learned.TRAINING_DIRNAME
        )
        self._thresholds: dict[str, float | None] = {
            c: (learned_thresholds if learned_thresholds is not None else _learned.THRESHOLDS).get(c)
            for c in CATEGORIES
        }
        self._learned_on = False
        if want:
            if _learned.available() and _learned.training_files(self._training_dir):
                self._learned_on = True
            elif learned:
                _log.warning(
                    "学习层不可用（未安装 scikit-learn 或没有训练样本），仅用规则 / learned layer unavailable "
                    "(scikit-learn missing or no training examples); screening with rules only"
                )
        self._model: _learned.LearnedModel | None = None
        self._model_loaded = False
        self._model_lock = threading.Lock()

    @property
    def learned(self) -> bool:
        """Whether the learned layer is in use."""
        return self._learned_on

    @property
    def version(self) -> str:
        """SHA-256 over the data files' names and contents; with the learned layer on, also over the
        training files and thresholds."""
        if not self._learned_on:
            return self.lexicon.version
        model = self._learned_model()
        if model is None:
            return self.lexicon.version
        h = hashlib.sha256(self.lexicon.version.encode())
        h.update(
            b"\0learned\0" + model.digest.encode() + _learned.thresholds_digest(self._thresholds).encode()
        )
        return h.hexdigest()

    def _learned_model(self) -> _learned.LearnedModel | None:
        if not self._model_loaded:
            with self._model_lock:
                if not self._model_loaded:
                    self._model = _learned.model_for(self._training_dir, self.lexicon.variants.abbreviations)
                    self._model_loaded = True
        return self._model

    @property
    def terms(self) -> tuple[str, ...]:
        """Every normalised string the Aho-Corasick automaton looks for (variants included)."""
        return self._terms

    # ---------------------------------------------------------------------------------- building

    def _compile(self) -> None:
        lex = self.lexicon
        homophones = dict(lex.variants.homophones)
        limit = lex.variants.max_expansions
        table: dict[str, list[tuple[int, ...]]] = {}

        def add(key: str, payload: tuple[int, ...], expand: bool) -> None:
            for k in _expand(key, homophones, limit) if expand else [key]:
                if k:
                    table.setdefault(k, []).append(payload)

        for ri, rule in enumerate(self.rules):
            for t in rule.terms:
                add(t, (_TERM, ri), True)
            for pi, seq in enumerate(rule.patterns):
                for si, slot in enumerate(seq.slots):
                    for t in slot:
                        add(t, (_SLOT, ri, pi, si), True)
            if rule.context:
                for t in rule.context.terms:
                    add(t, (_CTX, ri), True)
            if rule.exceptions:
                for t in rule.exceptions.terms:
                    add(t, (_EXC, ri), False)
        for li, m in enumerate(lex.lawful):
            for t in m.terms:
                add(t, (_LTERM, li), False)
            for pi, seq in enumerate(m.patterns):
                for si, slot in enumerate(seq.slots):
                    for t in slot:
                        add(t, (_LSLOT, li, pi, si), False)
        for t in lex.lawful_stops:
            add(t, (_LSTOP,), False)
        neg = lex.negation
        for kind, words in (
            (_NEG, neg.cues),
            (_LNEG, neg.long_cues),
            (_VOID, neg.void),
            (_BRK, neg.breakers),
            (_RHET, neg.rhetorical),
            (_QP, neg.question_particles),
        ):
            for t in words:
                add(t, (kind,), False)
        automaton = ahocorasick.Automaton()
        for key, payloads in table.items():
            left = is_word_char(key[0])
            right = is_word_char(key[-1])
            automaton.add_word(key, (len(key), left, right, tuple(dict.fromkeys(payloads))))
        if len(automaton) == 0:
            automaton.add_word("\x00", (1, False, False, ()))
        automaton.make_automaton()
        self._automaton = automaton
        self._terms = tuple(table)

        # pinyin automaton: syllable codes of the terms and pattern-slot terms of rules marked `pinyin`
        self._syl_code: dict[str, str] = {}
        self._char_codes: dict[str, str] = {}
        pinyin_table: dict[str, list[tuple[str, tuple[int, ...]]]] = {}

        def add_pinyin(term: str, payload: tuple[int, ...], minimum: int) -> None:
            if len(term) < minimum or not all(is_cjk(c) for c in term):
                return
            for syls in _term_readings(term):
                code = "".join(self._code(x) for x in syls)
                pinyin_table.setdefault(code, []).append((term, payload))

        for ri, rule in enumerate(self.rules):
            if not rule.pinyin:
                continue
            for t in rule.terms:
                add_pinyin(t, (_TERM, ri), rule.pinyin_min)
            for pi, seq in enumerate(rule.patterns):
                for si, slot in enumerate(seq.slots):
                    for t in slot:
                        add_pinyin(t, (_SLOT, ri, pi, si), rule.pinyin_min)
        self._pinyin_stop = frozenset(lex.variants.pinyin_stop)
        self._pinyin_weak = frozenset(lex.variants.pinyin_weak)
        self._pinyin: Any = None
        if pinyin_table:
            pa = ahocorasick.Automaton()
            for code, entries in pinyin_table.items():
                pa.add_word(code, (len(code), tuple(dict.fromkeys(entries))))
            pa.make_automaton()
            self._pinyin = pa

    def _code(self, syllable: str) -> str:
        code = self._syl_code.get(syllable)
        if code is None:
            code = chr(0xF0000 + len(self._syl_code))
            self._syl_code[syllable] = code
        return code

    def _segmenter(self) -> Any:
        if self._jieba is None:
            with self._jieba_lock:
                if self._jieba is None:
                    import logging

                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    self._jieba = tokenizer
        return self._jieba

    def warm_up(self) -> None:
        """Load the lazily loaded parts (jieba dictionary, OpenCC, pinyin tables) now."""
        self._segmenter()
        _syllables()
        if self._learned_on:
            self._learned_model()
        self.screen("我們不會聯繫您的家人 sb, lian系 fa院")

    # ---------------------------------------------------------------------------------- screening

    def screen(self, text: str, *, speaker: str = "collector", lang: str | None = None) -> list[Violation]:
        """Screen one utterance; violations sorted by span start."""
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        spk = (speaker or "collector").strip().lower()
        screened = self.lexicon.screened_speakers
        if screened is not None and spk not in screened:
            return []
        lang_l = (lang or "").lower()
        chinese: bool | None = (
            True if lang_l.startswith("zh") else (False if lang_l.startswith("en") else None)
        )
        nt = normalize(text, abbreviations=self.lexicon.variants.abbreviations, chinese=chinese)
        norm = nt.norm
        if not norm:
            return []
        hits = self._scan(nt)
        if self._pinyin is not None and (chinese if chinese is not None else nt.has_cjk):
            self._pinyin_hits(nt, hits)
        violations = self._rule_violations(nt, hits, spk)
        if self._learned_on:
            violations = self._add_learned(nt, hits, violations)
        return violations

    def _rule_violations(self, nt: Normalized, hits: _Hits, spk: str) -> list[Violation]:
        norm = nt.norm
        # (rule, start, end, start of the last pattern slot: a negation may stand right before the verb,
        # "村委会那边我们没有联系过")
        candidates: list[tuple[int, int, int, int]] = [(ri, s, e, s) for ri, s, e in hits.term]
        for ri, s, e, last in self._seq_matches(nt, hits.slot, [r.patterns for r in self.rules]):
            candidates.append((ri, s, e, last))
        if not candidates:
            return []
        candidates = sorted(set(candidates), key=lambda c: (c[1], c[2], c[0], c[3]))
        lawful = self._lawful_spans(nt, hits)
        neg_hits = self._resolve_negation_hits(hits.neg)
        boundaries: set[int] | None = None
        kept: list[tuple[int, int, int]] = []
        for ri, s, e, last in candidates:
            rule = self.rules[ri]
            if rule.speakers is not None and spk not in rule.speakers:
                continue
            if rule.boundary:
                if boundaries is None:
                    boundaries = self._word_boundaries(norm)
                if not self._on_boundaries(norm, s, e, boundaries):
                    continue
            if rule.context is not None and not self._near(
                nt, hits.ctx.get(ri, ()), s, e, rule.context.window
            ):
                continue
            if rule.exceptions is not None and self._near(
                nt, hits.exc.get(ri, ()), s, e, rule.exceptions.window
            ):
                continue
            if rule.negatable and (
                self._negated(nt, neg_hits, s) or (last != s and self._negated(nt, neg_hits, last))
            ):
                continue
            if any(
                rule.category in cats and self._lawful_clears(nt, hits.lstop, ls, le, reach, s, e)
                for cats, ls, le, reach in lawful
            ):
                continue
            kept.append((ri, s, e))
        return self._merge(nt, kept)

    # ---------------------------------------------------------------------------------- pieces

    def _scan(self, nt: Normalized) -> _Hits:
        norm = nt.norm
        n = len(norm)
        hits = _Hits()
        for end_idx, (length, left, right, payloads) in self._automaton.iter(norm):
            e = end_idx + 1
            s = e - length
            if left and s > 0 and is_word_char(norm[s - 1]):
                continue
            if right and e < n and is_word_char(norm[e]):
                continue
            for p in payloads:
                kind = p[0]
                if kind == _TERM:
                    hits.term.append((p[1], s, e))
                elif kind == _SLOT:
                    hits.slot.setdefault((p[1], p[2], p[3]), []).append((s, e))
                elif kind == _CTX:
                    hits.ctx.setdefault(p[1], []).append((s, e))
                elif kind == _EXC:
                    hits.exc.setdefault(p[1], []).append((s, e))
                elif kind == _LTERM:
                    hits.lterm.append((p[1], s, e))
                elif kind == _LSLOT:
                    hits.lslot.setdefault((p[1], p[2], p[3]), []).append((s, e))
                elif kind == _LSTOP:
                    hits.lstop.append(s)
                else:
                    hits.neg.append((s, e, kind))
        return hits

    @staticmethod
    def _seq_matches(
        nt: Normalized,
        slot_hits: dict[tuple[int, int, int], list[tuple[int, int]]],
        patterns_by_owner: list[tuple[Seq, ...]],
    ) -> Iterator[tuple[int, int, int, int]]:
        """(owner, start, end, start of the last slot) for every pattern match."""
        if not slot_hits:
            return
        owners = sorted({(o, p) for (o, p, _s) in slot_hits})
        for owner, pi in owners:
            seq = patterns_by_owner[owner][pi]
            k = len(seq.slots)
            lists = [slot_hits.get((owner, pi, si)) for si in range(k)]
            if any(not lst for lst in lists):
                continue
            sorted_lists = [sorted(set(lst or ())) for lst in lists]
            orders = [tuple(range(k))] if seq.ordered else list(permutations(range(k)))
            gaps = seq.max_gaps
            for order in orders:
                for s0, e0 in sorted_lists[order[0]]:
                    cur_end = e0
                    last_start = s0
                    ok = True
                    for step, si in enumerate(order[1:]):
                        max_gap = gaps[step] if step < len(gaps) else gaps[-1]
                        best: tuple[int, int] | None = None
                        for s1, e1 in sorted_lists[si]:
                            if s1 < cur_end:
                                continue
                            if (seq.same_sentence and nt.sentence[s1] != nt.sentence[s0]) or nt.gap_units(
                                cur_end, s1
                            ) > max_gap:
                                break
                            if best is None or (s1 == best[0] and e1 > best[1]):
                                best = (s1, e1)
                            elif s1 > best[0]:
                                break
                        if best is None:
                            ok = False
                            break
                        cur_end = best[1]
                        last_start = best[0]
                    if ok:
                        yield owner, s0, cur_end, last_start

    def _pinyin_hits(self, nt: Normalized, hits: _Hits) -> None:
        """Homophone and pinyin spellings of key terms ("法远", "fa院", "晓心") added to ``hits``."""
        norm = nt.norm
        codes: list[str] = []
        ranges: list[tuple[int, int]] = []
        i = 0
        n = len(norm)
        filler = "\x00"
        syl_code = self._syl_code
        char_codes = self._char_codes
        while i < n:
            c = norm[i]
            code = char_codes.get(c)
            if code is None and is_cjk(c):
                syl = _char_pinyin(c)
                code = char_codes[c] = syl_code.get(syl, filler) if syl else filler
            if code is not None:
                codes.append(code)
                ranges.append((i, i + 1))
                i += 1
            elif c == " ":
                i += 1
            else:
                j = i
                while j < n and is_word_char(norm[j]):
                    j += 1
                word = norm[i:j]
                segs = _segment_pinyin(word) if word.isalpha() and word.isascii() else None
                if segs:
                    for a, b in segs:
                        codes.append(syl_code.get(_fuzzy(word[a:b]), filler))
                        ranges.append((i + a, i + b))
                else:
                    codes.append(filler)
                    ranges.append((i, j))
                i = max(j, i + 1)
        code_str = "".join(codes)
        cache: dict[str, Any] = {}
        for end_idx, (length, entries) in self._pinyin.iter(code_str):
            first = end_idx - length + 1
            pieces = ranges[first : end_idx + 1]
            s = pieces[0][0]
            e = pieces[-1][1]
            written = norm[s:e]
            for term, payload in entries:
                if written == term:
                    continue  # the literal term, already found by the main scan
                if not self._pinyin_ok(norm, term, pieces, cache):
                    continue
                if payload[0] == _TERM:
                    hits.term.append((payload[1], s, e))
                else:
                    hits.slot.setdefault((payload[1], payload[2], payload[3]), []).append((s, e))

    def _pinyin_ok(self, norm: str, term: str, pieces: list[tuple[int, int]], cache: dict[str, Any]) -> bool:
        """A pinyin match counts when it is not the term itself, keeps at least one of its characters (not
        only pronouns or particles listed in ``pinyin_weak``) or spells at least one in Latin pinyin, and no replaced character belongs to an ordinary word of the
        sentence ("同事你" is not "捅死你": 同事 is a dictionary word)."""
        exact = strong = latin = 0
        replaced: list[int] = []
        for k, (a, b) in enumerate(pieces):
            if b - a == 1 and norm[a] == term[k]:
                exact += 1
                # pronouns and particles kept do not vouch for the rest ("同你" is not "捅你")
                strong += norm[a] not in self._pinyin_weak
            elif not is_cjk(norm[a]):
                latin += 1
            else:
                replaced.append(a)
        if exact == len(term):
            return False  # the literal term, found by the main scan
        if strong == 0 and latin == 0:
            return False  # every character replaced by a homophone: too easy to hit ordinary words
        if not replaced:
            return True
        written = "".join(norm[a:b] for a, b in pieces)
        freq = self._segmenter().FREQ
        if written in self._pinyin_stop or int(freq.get(written) or 0) >= 50:
            return False  # an ordinary word in its own right
        tokens = cache.get("tokens")
        if tokens is None:
            tokens = cache["tokens"] = self._token_spans(norm)
            cache["edges"] = {a for a, _ in tokens} | {b for _, b in tokens}
        edges = cache["edges"]
        first, last = pieces[0], pieces[-1]
        if (is_cjk(norm[first[0]]) and first[0] not in edges) or (
            is_cjk(norm[last[0]]) and last[1] not in edges
        ):
            return False  # crosses a word boundary: "本人时" is not "人事"
        for pos in replaced:
            for ts, te in tokens:
                if ts <= pos < te:
                    word = norm[ts:te]
                    if te - ts >= 2 and (word in self._pinyin_stop or int(freq.get(word) or 0) >= 50):
                        return False
                    break
        return True

    def _token_spans(self, norm: str) -> list[tuple[int, int]]:
        out = []
        pos = 0
        for tok in self._segmenter().cut(norm, HMM=False):
            out.append((pos, pos + len(tok)))
            pos += len(tok)
        return out

    def _lawful_spans(self, nt: Normalized, hits: _Hits) -> list[tuple[frozenset[str], int, int, int]]:
        lawful = self.lexicon.lawful
        if not lawful or (not hits.lterm and not hits.lslot):
            return []
        out = [(lawful[li].categories, s, e, lawful[li].reach) for li, s, e in hits.lterm]
        for li, s, e, _last in self._seq_matches(nt, hits.lslot, [m.patterns for m in lawful]):
            out.append((lawful[li].categories, s, e, lawful[li].reach))
        return out

    @classmethod
    def _lawful_clears(
        cls, nt: Normalized, stops: list[int], ls: int, le: int, reach: int, s: int, e: int
    ) -> bool:
        """Whether a lawful mention at ``[ls, le)`` clears the hit ``[s, e)``: within ``reach`` in the same
        sentence and, when the hit lies in another clause, no stop ("不还钱就…", "我们…") in the clauses
        from the mention up to the hit. "判决后拒不履行可被拘留，不还钱就抓你" stays a violation."""
        if not cls._near(nt, [(ls, le)], s, e, reach):
            return False
        clause = nt.clause
        l_first, l_last = clause[ls], clause[le - 1]
        h_first, h_last = clause[s], clause[e - 1]
        if h_first <= l_last and l_first <= h_last:
            return True  # the hit shares a clause with the mention
        lo, hi = (l_last + 1, h_last) if h_first > l_last else (h_first, l_first - 1)
        return not any(lo <= clause[p] <= hi for p in stops)

    @staticmethod
    def _near(nt: Normalized, spans: Iterable[tuple[int, int]], s: int, e: int, window: int) -> bool:
        """Whether any span lies within ``window`` units of ``[s, e)`` in the same sentence."""
        sentence = nt.sentence[s]
        for cs, ce in spans:
            if nt.sentence[cs] != sentence and nt.sentence[ce - 1] != sentence:
                continue
            if ce <= s:
                d = nt.gap_units(ce, s)
            elif cs >= e:
                d = nt.gap_units(e, cs)
            else:
                d = 0
            if d <= window:
                return True
        return False

    @staticmethod
    def _resolve_negation_hits(raw: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Cue-like hits, leftmost-longest and non-overlapping (breakers, particles kept apart)."""
        if not raw:
            return []
        cue_like = sorted(
            (h for h in raw if h[2] in _CUES), key=lambda h: (h[0], -(h[1] - h[0]), h[2] != _LNEG, h[2])
        )
        chosen: list[tuple[int, int, int]] = []
        last_end = -1
        for h in cue_like:
            if h[0] >= last_end:
                chosen.append(h)
                last_end = h[1]
        others = [h for h in raw if h[2] not in _CUES]
        return sorted(chosen + others)

    def _negated(self, nt: Normalized, neg_hits: list[tuple[int, int, int]], s: int) -> bool:
        """Clause-local negation of a hit starting at ``s``: an odd chain of cues right before it."""
        if not neg_hits:
            return False
        neg = self.lexicon.negation
        clause = nt.clause[s]
        word_hit = is_word_char(nt.norm[s])
        pos = s
        count = 0
        breakers = [h for h in neg_hits if h[2] == _BRK and nt.clause[h[0]] == clause]
        for hs, he, kind in reversed(neg_hits):
            if kind not in _CUES or he > pos:
                continue
            if nt.clause[hs] != clause:
                break
            if kind == _LNEG:
                limit = neg.long_max_gap
            elif word_hit or is_word_char(nt.norm[hs]):
                limit = neg.word_max_gap
            else:
                limit = neg.max_gap
            if nt.gap_units(he, pos) > limit:
                break
            if any(bs >= he and be <= pos for bs, be, _k in breakers):
                break
            if kind == _VOID:
                break
            count += 1
            pos = hs
        if count % 2 == 0:
            return False
        # rhetorical questions: "你不怕我们去你单位吗", "难道我们不会去你单位?"
        sentence = nt.sentence[s]
        for hs, he, kind in neg_hits:
            if kind == _RHET and nt.sentence[hs] == sentence and hs < s:
                return False
            if (
                kind == _QP
                and nt.clause[hs] == clause
                and he > s
                and (he == len(nt.clause) or nt.clause[he] != clause)
            ):
                return False
        return True

    def _add_learned(self, nt: Normalized, hits: _Hits, violations: list[Violation]) -> list[Violation]:
        """Categories the rules did not find, added by the learned layer (see learned.py)."""
        model = self._learned_model()
        if model is None:
            return violations
        found = {v.category for v in violations}
        ranges = _learned.clause_ranges(nt)
        probs = model.probabilities([_learned.model_text(nt, ranges)])[0]
        wanted = []
        for k, cat in enumerate(CATEGORIES):
            threshold = self._thresholds[cat]
            if cat not in found and threshold is not None and probs[k] >= threshold:
                wanted.append(k)
        if not wanted:
            return violations
        norm = nt.norm
        clause_probs = model.probabilities([norm[s:e] for s, e in ranges]) if len(ranges) > 1 else [probs]
        lawful = self._lawful_spans(nt, hits)
        neg_hits = self._resolve_negation_hits(hits.neg)
        added: list[Violation] = []
        for k in wanted:
            cat = CATEGORIES[k]
            best = max(range(len(ranges)), key=lambda i: (clause_probs[i][k], -i))
            s, e = ranges[best]
            while s < e - 1 and norm[s] == " ":
                s += 1
            while e > s + 1 and norm[e - 1] == " ":
                e -= 1
            if self._clause_negated(nt, neg_hits, s, e):
                continue
            if any(
                cat in cats and self._lawful_clears(nt, hits.lstop, ls, le, reach, s, e)
                for cats, ls, le, reach in lawful
            ):
                continue
            a, b = nt.span(s, e)
            added.append(
                Violation(cat, _learned.RULE_PREFIX + cat, (a, b), _learned.SEVERITY, nt.original[a:b])
            )
        if not added:
            return violations
        out = violations + added
        out.sort(key=lambda v: (v.span[0], v.span[1], _CATEGORY_RANK[v.category], v.rule))
        return out

    def _clause_negated(self, nt: Normalized, neg_hits: list[tuple[int, int, int]], s: int, e: int) -> bool:
        """Whether a negation cue in ``[s, e)`` negates what follows it there, by the rules' own negation
        logic (chains of cues, void cues, breakers, rhetorical questions)."""
        return any(
            kind in (_NEG, _LNEG) and s <= hs and he < e and self._negated(nt, neg_hits, he)
            for hs, he, kind in neg_hits
        )

    def _word_boundaries(self, norm: str) -> set[int]:
        out = {0, len(norm)}
        pos = 0
        for tok in self._segmenter().cut(norm, HMM=False):
            pos += len(tok)
            out.add(pos)
        return out

    @staticmethod
    def _on_boundaries(norm: str, s: int, e: int, boundaries: set[int]) -> bool:
        left_ok = s in boundaries or not is_cjk(norm[s]) or (s > 0 and not is_cjk(norm[s - 1]))
        right_ok = e in boundaries or not is_cjk(norm[e - 1]) or (e < len(norm) and not is_cjk(norm[e]))
        return left_ok and right_ok

    def _merge(self, nt: Normalized, kept: list[tuple[int, int, int]]) -> list[Violation]:
        if not kept:
            return []
        by_cat: dict[str, list[tuple[int, int, int]]] = {}
        for ri, s, e in kept:
            by_cat.setdefault(self.rules[ri].category, []).append((ri, s, e))
        out: list[Violation] = []
        for cat, items in by_cat.items():
            items.sort(key=lambda c: (c[1], c[2], c[0]))
            clusters: list[list[tuple[int, int, int]]] = []
            cluster_end = -1
            for item in items:
                if clusters and item[1] < cluster_end:
                    clusters[-1].append(item)
                    cluster_end = max(cluster_end, item[2])
                else:
                    clusters.append([item])
                    cluster_end = item[2]
            out.extend(self._violation(nt, cat, cluster) for cluster in clusters)
        out.sort(key=lambda v: (v.span[0], v.span[1], _CATEGORY_RANK[v.category], v.rule))
        return out

    def _violation(self, nt: Normalized, category: str, cluster: list[tuple[int, int, int]]) -> Violation:
        s = min(c[1] for c in cluster)
        e = max(c[2] for c in cluster)
        best = min(
            cluster,
            key=lambda c: (_SEVERITY_RANK[self.rules[c[0]].severity], -(c[2] - c[1]), c[0]),
        )
        rule = self.rules[best[0]]
        a, b = nt.span(s, e)
        return Violation(category, rule.rule_id, (a, b), rule.severity, nt.original[a:b])


# ------------------------------------------------------------------------------------------ module API

_default: Screener | None = None
_default_lock = threading.Lock()


def default_screener() -> Screener:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Screener()
    return _default


def screen(text: str, *, speaker: str = "collector", lang: str | None = None) -> list[Violation]:
    """Screen one utterance with the packaged lexicons."""
    return default_screener().screen(text, speaker=speaker, lang=lang)


def _error(line_id: Any, code: str, zh: str, en: str) -> str:
    return json.dumps({"id": line_id, "error": {"code": code, "zh": zh, "en": en}}, ensure_ascii=False)


def screen_lines(lines: Iterable[str], *, screener: Screener | None = None) -> Iterator[str]:
    """JSON lines in (``{"id","text","speaker","lang"}``), one JSON line out per non-blank input line."""
    sc = screener or default_screener()
    for raw in lines:
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            yield _error(None, "invalid_json", "不是有效的 JSON", "not valid JSON")
            continue
        if not isinstance(obj, dict):
            yield _error(None, "invalid_json", "每行应为一个 JSON 对象", "each line must be a JSON object")
            continue
        line_id = obj.get("id")
        if isinstance(line_id, (dict, list)):
            line_id = None
        text = obj.get("text")
        if not isinstance(text, str):
            yield _error(
                line_id, "invalid_text", "缺少 text 字段或不是字符串", "text is missing or not a string"
            )
            continue
        speaker = obj.get("speaker") or "collector"
        lang = obj.get("lang")
        if not isinstance(speaker, str) or (lang is not None and not isinstance(lang, str)):
            yield _error(
                line_id, "invalid_field", "speaker 和 lang 应为字符串", "speaker and lang must be strings"
            )
            continue
        violations = sc.screen(text, speaker=speaker, lang=lang)
        yield json.dumps({"id": line_id, "violations": [v.as_dict() for v in violations]}, ensure_ascii=False)


def main() -> int:
    """``python -m qingzhai.compliance.monitor.engine < in.jsonl > out.jsonl``"""
    import sys

    for line in screen_lines(sys.stdin):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
