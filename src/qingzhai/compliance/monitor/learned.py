"""Optional learned layer: a character n-gram classifier that adds categories the rules did not find.

The model is trained, at first use, from the labelled examples in ``data/training/*.jsonl`` (one JSON object
a line: ``{"text": "...", "labels": ["threat_violence"]}``, ``[]`` = lawful). Training is deterministic
(fixed seed, sorted files) and takes about a second; the trained model is cached in memory per set of
training files and never written to disk. Nothing is downloaded.

Features: TF-IDF over character 1- to 3-grams (``char_wb``) of the *normalised* utterance (the engine's
normaliser: Traditional -> Simplified, separators removed, pinyin initials expanded), clauses joined by a
space. One logistic regression per category (one-vs-rest).

How it combines with the rules (:meth:`Screener.screen`): a category the rules did not find is added when
its probability for the whole utterance reaches the category's threshold in :data:`THRESHOLDS` and the
clause with the highest probability for that category is neither negated ("我们不会……") nor cleared by a
lawful mention of that category, both judged by the engine's own negation and lawful-mention logic. The
violation's span is that clause, its rule id ``model.<category>`` and its severity ``medium``.

scikit-learn is optional: without it :func:`available` is false and the engine screens with the rules only.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from qingzhai.compliance.monitor.lexicon import CATEGORIES, LexiconError
from qingzhai.compliance.monitor.normalize import Normalized, normalize

TRAINING_DIRNAME = "training"
RULE_PREFIX = "model."
SEVERITY = "medium"
SEED = 0
NGRAM_RANGE = (1, 3)
C = 10.0

# Probability a category needs before the model adds it; ``None``: the model never adds that category.
# Chosen by nested 5-fold cross-validation over the training files (docs/compliance-lexicons.md, section 7):
# per category, the lowest threshold >= 0.5 that maximises (added true positives - 2 x added false
# positives) on out-of-fold probabilities; where no threshold adds more than it costs, ``None``. Only
# debt_trap gained; in every other category the rules already found what the model would have added.
THRESHOLDS: Mapping[str, float | None] = {
    "threat_violence": None,
    "insult_abuse": None,
    "third_party_contact": None,
    "disclosure": None,
    "impersonation": None,
    "false_legal_consequence": None,
    "excessive_fee": None,
    "debt_trap": 0.5,
    "privacy_exposure": None,
}


def available() -> bool:
    """Whether scikit-learn (and so the learned layer) can be used."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: frozenset[str]


def training_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix == ".jsonl" and p.is_file())


def load_examples(directory: Path) -> tuple[list[Example], str]:
    """Every example in ``directory/*.jsonl`` (files in name order) and a SHA-256 over the files."""
    digest = hashlib.sha256()
    out: list[Example] = []
    for path in training_files(directory):
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                raise LexiconError(path.name, where, None, "不是有效的 JSON", "not valid JSON") from None
            if not isinstance(obj, dict) or set(obj) - {"text", "labels"}:
                raise LexiconError(
                    path.name,
                    where,
                    None,
                    "应为只含 text 和 labels 的对象",
                    "must be an object of text and labels",
                )
            text, labels = obj.get("text"), obj.get("labels")
            if not isinstance(text, str) or not text.strip():
                raise LexiconError(path.name, where, "text", "应为非空字符串", "must be a non-empty string")
            if not isinstance(labels, list) or any(lb not in CATEGORIES for lb in labels):
                raise LexiconError(
                    path.name,
                    where,
                    "labels",
                    f"应为类别列表（{', '.join(CATEGORIES)}）",
                    f"must be a list of categories ({', '.join(CATEGORIES)})",
                )
            out.append(Example(text, frozenset(labels)))
    return out, digest.hexdigest()


def clause_ranges(nt: Normalized) -> list[tuple[int, int]]:
    """``[start, end)`` of every clause of the normalised text."""
    out: list[tuple[int, int]] = []
    start = 0
    n = len(nt.norm)
    for i in range(1, n + 1):
        if i == n or nt.clause[i] != nt.clause[start]:
            out.append((start, i))
            start = i
    return out


def model_text(nt: Normalized, ranges: Sequence[tuple[int, int]] | None = None) -> str:
    """The text the model reads: the normalised clauses joined by a space."""
    return " ".join(nt.norm[s:e].strip() for s, e in (ranges if ranges is not None else clause_ranges(nt)))


class LearnedModel:
    """TF-IDF character n-grams + one logistic regression per category, trained from ``examples``."""

    def __init__(
        self,
        examples: Sequence[Example],
        *,
        abbreviations: Mapping[str, str] | None = None,
        digest: str = "",
    ) -> None:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.digest = digest
        self.abbreviations = dict(abbreviations or {})
        texts = [model_text(normalize(ex.text, abbreviations=self.abbreviations)) for ex in examples]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True)
        x = self.vectorizer.fit_transform(texts)
        weights = np.zeros((x.shape[1], len(CATEGORIES)))
        bias = np.full(len(CATEGORIES), -math.inf)
        for k, cat in enumerate(CATEGORIES):
            y = np.array([cat in ex.labels for ex in examples], dtype=int)
            if y.min() == y.max():
                continue  # no positive (or no negative) example: the model never predicts it
            clf = LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=2000)
            clf.fit(x, y)
            weights[:, k] = clf.coef_[0]
            bias[k] = clf.intercept_[0]
        # scoring one short utterance through the vectoriser costs about 0.5 ms; the same TF-IDF (sublinear
        # tf, idf, l2 norm) computed directly over the vocabulary takes a tenth of that
        self._analyze = self.vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = dict(self.vectorizer.vocabulary_)
        self._idf = self.vectorizer.idf_
        self._weights = weights
        self._bias = bias

    def probabilities(self, texts: Sequence[str]) -> list[list[float]]:
        """Per text, the probability of each category in :data:`CATEGORIES` order."""
        import numpy as np

        vocabulary = self._vocabulary
        out: list[list[float]] = []
        for text in texts:
            counts: dict[int, int] = {}
            for gram in self._analyze(text):
                j = vocabulary.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if counts:
                idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
                tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))
                v = tf * self._idf[idx]
                z = (v / math.sqrt(float(v @ v))) @ self._weights[idx] + self._bias
            else:
                z = self._bias
            with np.errstate(over="ignore"):
                p = 1.0 / (1.0 + np.exp(-z))
            out.append([float(x) for x in p])
        return out

    def reference_probabilities(self, texts: Sequence[str]) -> list[list[float]]:
        """The same probabilities through the fitted vectoriser (slower; for checking :meth:`probabilities`)."""
        import numpy as np

        z = self.vectorizer.transform(list(texts)) @ self._weights + self._bias
        with np.errstate(over="ignore"):
            p = 1.0 / (1.0 + np.exp(-z))
        return [[float(v) for v in row] for row in p]


_cache: dict[tuple[str, str], LearnedModel] = {}
_cache_lock = threading.Lock()


def model_for(directory: Path, abbreviations: Mapping[str, str]) -> LearnedModel | None:
    """The model trained from ``directory`` (cached in memory per file contents); None without examples."""
    examples, digest = load_examples(directory)
    if not examples:
        return None
    abbr_key = hashlib.sha256(json.dumps(sorted(abbreviations.items())).encode()).hexdigest()
    key = (digest, abbr_key)
    model = _cache.get(key)
    if model is None:
        with _cache_lock:
            model = _cache.get(key)
            if model is None:
                model = _cache[key] = LearnedModel(examples, abbreviations=abbreviations, digest=digest)
    return model


def thresholds_digest(thresholds: Mapping[str, float | None]) -> str:
    return json.dumps({c: thresholds.get(c) for c in CATEGORIES}, sort_keys=True)
