"""Loading and validating the screening data files (YAML) in ``monitor/data/``.

Files:

* ``<category>.yaml`` — one per category: ``category``, optional defaults (``severity``, ``speakers``),
  optional local ``sets`` of terms, and ``rules`` (id, severity, terms, patterns, context, exceptions...).
* ``sets.yaml`` — named term sets shared by all category files (``"@family"`` in a pattern slot).
* ``negation.yaml`` — negation cues, phrases that only look like negation, scope breakers, rhetorical markers.
* ``lawful.yaml`` — lawful mentions (true statements of legal procedure) that clear nearby hits.
* ``variants.yaml`` — homophone / look-alike variants of characters and words, and pinyin-initial
  abbreviations.

Every problem is reported as :class:`LexiconError` naming the file, the entry id and the field.
``python -m qingzhai.compliance.monitor.lexicon [DATA_DIR]`` validates a directory and prints a summary.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qingzhai.compliance.monitor.normalize import normalize_term

CATEGORIES: tuple[str, ...] = (
    "threat_violence",
    "insult_abuse",
    "third_party_contact",
    "disclosure",
    "impersonation",
    "false_legal_consequence",
    "excessive_fee",
    "debt_trap",
    "privacy_exposure",
)
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
SHARED_FILES: tuple[str, ...] = ("sets.yaml", "negation.yaml", "lawful.yaml", "variants.yaml")
DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"

_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SET_RE = re.compile(r"^@[a-z][a-z0-9_]{0,63}$")
_ABBR_RE = re.compile(r"^[a-z]{2,8}$")


class LexiconError(ValueError):
    """A data file is invalid. ``file``, ``entry`` and ``field`` say where; ``zh``/``en`` say what."""

    def __init__(self, file: str, entry: str | None, fld: str | None, zh: str, en: str) -> None:
        self.file = file
        self.entry = entry
        self.field = fld
        self.zh = zh
        self.en = en
        where = file + (f" [{entry}]" if entry else "") + (f" {fld}" if fld else "")
        super().__init__(f"{where}: {zh} / {en}")


@dataclass(frozen=True, slots=True)
class Seq:
    """Slots of alternative terms that must appear in order (or any order), at most ``max_gaps[i]`` units
    between slot i and slot i+1, within one sentence unless ``same_sentence`` is false."""

    slots: tuple[tuple[str, ...], ...]
    max_gaps: tuple[int, ...] = (6,)
    ordered: bool = True
    same_sentence: bool = True


@dataclass(frozen=True, slots=True)
class Window:
    """Terms that must (context) or must not (exceptions) occur within ``window`` units of a hit."""

    terms: tuple[str, ...]
    window: int


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    id: str
    severity: str
    terms: tuple[str, ...] = ()
    patterns: tuple[Seq, ...] = ()
    context: Window | None = None
    exceptions: Window | None = None
    negatable: bool = True
    boundary: bool = False
    pinyin: bool = True
    pinyin_min: int = 2
    speakers: frozenset[str] | None = None
    description_zh: str = ""
    description_en: str = ""

    @property
    def rule_id(self) -> str:
        return f"{self.category}.{self.id}"


@dataclass(frozen=True, slots=True)
class Negation:
    cues: tuple[str, ...] = ()
    void: tuple[str, ...] = ()
    breakers: tuple[str, ...] = ()
    rhetorical: tuple[str, ...] = ()
    question_particles: tuple[str, ...] = ()
    long_cues: tuple[str, ...] = ()
    max_gap: int = 4
    long_max_gap: int = 16
    word_max_gap: int = 6


@dataclass(frozen=True, slots=True)
class LawfulMention:
    id: str
    categories: frozenset[str]
    terms: tuple[str, ...] = ()
    patterns: tuple[Seq, ...] = ()
    reach: int = 8
    description_zh: str = ""
    description_en: str = ""


@dataclass(frozen=True, slots=True)
class Variants:
    homophones: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    english_words: frozenset[str] = frozenset()
    pinyin_stop: frozenset[str] = frozenset()
    pinyin_weak: frozenset[str] = frozenset()
    max_expansions: int = 64


@dataclass(frozen=True, slots=True)
class Lexicon:
    rules: tuple[Rule, ...]
    negation: Negation
    lawful: tuple[LawfulMention, ...]
    variants: Variants
    version: str
    lawful_stops: tuple[str, ...] = ()
    screened_speakers: frozenset[str] | None = None
    files: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------- helpers


class _Ctx:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: str | None, fld: str | None, zh: str, en: str) -> LexiconError:
        return LexiconError(self.file, entry, fld, zh, en)

    def mapping(self, value: Any, entry: str | None, fld: str | None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(entry, fld, "应为映射（键: 值）", "must be a mapping (key: value)")
        return value

    def keys(self, value: dict[str, Any], allowed: set[str], entry: str | None, fld: str | None) -> None:
        unknown = sorted(set(map(str, value)) - allowed)
        if unknown:
            raise self.fail(
                entry,
                fld,
                f"未知字段 {', '.join(unknown)}；允许: {', '.join(sorted(allowed))}",
                f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
            )

    def string(self, value: Any, entry: str | None, fld: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, fld, "应为非空字符串", "must be a non-empty string")
        return value

    def boolean(self, value: Any, entry: str | None, fld: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(entry, fld, "应为 true 或 false", "must be true or false")
        return value

    def integer(self, value: Any, entry: str | None, fld: str, lo: int, hi: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise self.fail(entry, fld, f"应为 {lo}–{hi} 的整数", f"must be an integer from {lo} to {hi}")
        return value

    def str_list(self, value: Any, entry: str | None, fld: str, *, allow_empty: bool = False) -> list[str]:
        if isinstance(value, str) or not isinstance(value, list) or (not value and not allow_empty):
            raise self.fail(entry, fld, "应为非空的字符串列表", "must be a non-empty list of strings")
        out = []
        for i, item in enumerate(value):
            if isinstance(item, int) and not isinstance(item, bool):
                item = str(item)  # digits written without quotes ("12368", "4") arrive as numbers
            if not isinstance(item, str) or not item.strip():
                raise self.fail(
                    entry, f"{fld}[{i}]", "应为非空字符串", f"must be a non-empty string, got {item!r}"
                )
            out.append(item)
        return out

    def terms(
        self, value: Any, entry: str | None, fld: str, sets: Mapping[str, tuple[str, ...]]
    ) -> tuple[str, ...]:
        """A list of terms and ``@set`` references, normalised; references are expanded."""
        out: list[str] = []
        for i, item in enumerate(self.str_list(value, entry, fld)):
            if item.startswith("@"):
                if not _SET_RE.match(item) or item[1:] not in sets:
                    raise self.fail(
                        entry, f"{fld}[{i}]", f"未定义的词集 {item}", f"undefined term set {item}"
                    )
                out.extend(sets[item[1:]])
                continue
            norm = normalize_term(item)
            if not norm:
                raise self.fail(
                    entry,
                    f"{fld}[{i}]",
                    f"词语 {item!r} 规范化后为空（只有标点或空格）",
                    f"term {item!r} is empty after normalisation (only punctuation or spaces)",
                )
            out.append(norm)
        return tuple(dict.fromkeys(out))

    def description(self, value: Any, entry: str | None) -> tuple[str, str]:
        if value is None:
            return "", ""
        d = self.mapping(value, entry, "description")
        self.keys(d, {"zh", "en"}, entry, "description")
        return self.string(d.get("zh"), entry, "description.zh"), self.string(
            d.get("en"), entry, "description.en"
        )

    def patterns(self, value: Any, entry: str, sets: Mapping[str, tuple[str, ...]]) -> tuple[Seq, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(entry, "patterns", "应为非空列表", "must be a non-empty list")
        out = []
        for i, raw in enumerate(value):
            fld = f"patterns[{i}]"
            p = self.mapping(raw, entry, fld)
            self.keys(p, {"seq", "max_gap", "ordered", "same_sentence"}, entry, fld)
            seq = p.get("seq")
            if not isinstance(seq, list) or not 2 <= len(seq) <= 4:
                raise self.fail(
                    entry, f"{fld}.seq", "应为 2–4 个槽位的列表", "must be a list of 2 to 4 slots"
                )
            slots = []
            for j, slot in enumerate(seq):
                slot_list = [slot] if isinstance(slot, str) else slot
                slots.append(self.terms(slot_list, entry, f"{fld}.seq[{j}]", sets))
            raw_gap = p.get("max_gap", 6)
            if isinstance(raw_gap, list):
                if len(raw_gap) != len(slots) - 1:
                    raise self.fail(
                        entry,
                        f"{fld}.max_gap",
                        f"列表长度应为槽位数减一（{len(slots) - 1}）",
                        f"a list needs one gap per pair of neighbouring slots ({len(slots) - 1})",
                    )
                gaps = tuple(
                    self.integer(g, entry, f"{fld}.max_gap[{k}]", 0, 60) for k, g in enumerate(raw_gap)
                )
            else:
                gaps = (self.integer(raw_gap, entry, f"{fld}.max_gap", 0, 60),) * (len(slots) - 1)
            ordered = self.boolean(p.get("ordered", True), entry, f"{fld}.ordered")
            if not ordered and len(set(gaps)) > 1:
                raise self.fail(
                    entry,
                    f"{fld}.max_gap",
                    "无序模式只能用一个间距",
                    "an unordered pattern takes a single max_gap",
                )
            same = self.boolean(p.get("same_sentence", True), entry, f"{fld}.same_sentence")
            out.append(Seq(tuple(slots), gaps, ordered, same))
        return tuple(out)

    def window(self, value: Any, entry: str, fld: str, sets: Mapping[str, tuple[str, ...]]) -> Window | None:
        if value is None:
            return None
        w = self.mapping(value, entry, fld)
        self.keys(w, {"terms", "window"}, entry, fld)
        terms = self.terms(w.get("terms"), entry, f"{fld}.terms", sets)
        return Window(terms, self.integer(w.get("window", 8), entry, f"{fld}.window", 0, 80))

    def speakers(self, value: Any, entry: str | None, fld: str) -> frozenset[str] | None:
        if value is None:
            return None
        return frozenset(s.strip().lower() for s in self.str_list(value, entry, fld))


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise LexiconError(
            path.name, None, where, f"YAML 语法错误: {exc}", f"YAML syntax error: {exc}"
        ) from exc


def _parse_sets(ctx: _Ctx, raw: Any, base: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    sets = dict(base)
    if raw is None:
        return sets
    for name, value in ctx.mapping(raw, None, "sets").items():
        if not isinstance(name, str) or not _ID_RE.match(name):
            raise ctx.fail(None, f"sets.{name}", "词集名称只能用小写字母、数字、下划线", "bad set name")
        sets[name] = ctx.terms(value, None, f"sets.{name}", sets)
    return sets


def _parse_category(path: Path, data: Any, shared_sets: Mapping[str, tuple[str, ...]]) -> list[Rule]:
    ctx = _Ctx(path.name)
    doc = ctx.mapping(data, None, None)
    ctx.keys(doc, {"category", "severity", "speakers", "sets", "rules", "description"}, None, None)
    category = ctx.string(doc.get("category"), None, "category")
    if category not in CATEGORIES:
        raise ctx.fail(None, "category", f"未知类别 {category}", f"unknown category {category}")
    if path.stem != category:
        raise ctx.fail(
            None, "category", f"文件名应为 {category}.yaml", f"file should be named {category}.yaml"
        )
    default_sev = doc.get("severity", "medium")
    if default_sev not in SEVERITIES:
        raise ctx.fail(None, "severity", "严重程度应为 high/medium/low", "severity must be high/medium/low")
    default_speakers = ctx.speakers(doc.get("speakers"), None, "speakers")
    sets = _parse_sets(ctx, doc.get("sets"), shared_sets)
    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ctx.fail(None, "rules", "应为非空列表", "must be a non-empty list")
    allowed = {
        "id",
        "category",
        "severity",
        "description",
        "terms",
        "patterns",
        "context",
        "exceptions",
        "negatable",
        "boundary",
        "pinyin",
        "pinyin_min",
        "speakers",
    }
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        r = ctx.mapping(raw, f"rules[{i}]", None)
        rid = r.get("id")
        if not isinstance(rid, str) or not _ID_RE.match(rid):
            raise ctx.fail(
                f"rules[{i}]",
                "id",
                "id 必填，只能用小写字母、数字、下划线",
                "id is required: lower-case letters, digits, underscores",
            )
        if rid in seen:
            raise ctx.fail(rid, "id", "id 重复", "duplicate id")
        seen.add(rid)
        ctx.keys(r, allowed, rid, None)
        if r.get("category", category) != category:
            raise ctx.fail(
                rid, "category", f"应与文件类别 {category} 一致", f"must equal the file's {category}"
            )
        severity = r.get("severity", default_sev)
        if severity not in SEVERITIES:
            raise ctx.fail(rid, "severity", "应为 high/medium/low", "must be high, medium or low")
        if "terms" not in r and "patterns" not in r:
            raise ctx.fail(rid, "terms", "至少需要 terms 或 patterns", "needs terms or patterns (or both)")
        terms = ctx.terms(r["terms"], rid, "terms", sets) if "terms" in r else ()
        patterns = ctx.patterns(r["patterns"], rid, sets) if "patterns" in r else ()
        zh, en = ctx.description(r.get("description"), rid)
        speakers = ctx.speakers(r.get("speakers"), rid, "speakers")
        rules.append(
            Rule(
                category=category,
                id=rid,
                severity=severity,
                terms=terms,
                patterns=patterns,
                context=ctx.window(r.get("context"), rid, "context", sets),
                exceptions=ctx.window(r.get("exceptions"), rid, "exceptions", sets),
                negatable=ctx.boolean(r.get("negatable", True), rid, "negatable"),
                boundary=ctx.boolean(r.get("boundary", False), rid, "boundary"),
                pinyin=ctx.boolean(r.get("pinyin", True), rid, "pinyin"),
                pinyin_min=ctx.integer(r.get("pinyin_min", 2), rid, "pinyin_min", 2, 12),
                speakers=speakers if speakers is not None else default_speakers,
                description_zh=zh,
                description_en=en,
            )
        )
    return rules


def _lang_lists(
    ctx: _Ctx, doc: dict[str, Any], key: str, sets: Mapping[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """``key: {zh: [...], en: [...]}`` or ``key: [...]`` -> one tuple of normalised terms."""
    raw = doc.get(key)
    if raw is None:
        return ()
    if isinstance(raw, dict):
        ctx.keys(raw, {"zh", "en"}, None, key)
        out: list[str] = []
        for lang in ("zh", "en"):
            if lang in raw:
                out.extend(ctx.terms(raw[lang], None, f"{key}.{lang}", sets))
        return tuple(dict.fromkeys(out))
    return ctx.terms(raw, None, key, sets)


def _parse_negation(path: Path, data: Any, sets: Mapping[str, tuple[str, ...]]) -> Negation:
    ctx = _Ctx(path.name)
    doc = ctx.mapping(data, None, None)
    ctx.keys(
        doc,
        {
            "cues",
            "long_cues",
            "void",
            "breakers",
            "rhetorical",
            "question_particles",
            "max_gap",
            "long_max_gap",
            "word_max_gap",
        },
        None,
        None,
    )
    return Negation(
        cues=_lang_lists(ctx, doc, "cues", sets),
        void=_lang_lists(ctx, doc, "void", sets),
        breakers=_lang_lists(ctx, doc, "breakers", sets),
        rhetorical=_lang_lists(ctx, doc, "rhetorical", sets),
        question_particles=_lang_lists(ctx, doc, "question_particles", sets),
        long_cues=_lang_lists(ctx, doc, "long_cues", sets),
        max_gap=ctx.integer(doc.get("max_gap", 4), None, "max_gap", 0, 40),
        long_max_gap=ctx.integer(doc.get("long_max_gap", 16), None, "long_max_gap", 0, 40),
        word_max_gap=ctx.integer(doc.get("word_max_gap", 6), None, "word_max_gap", 0, 40),
    )


def _parse_lawful(
    path: Path, data: Any, sets: Mapping[str, tuple[str, ...]]
) -> tuple[list[LawfulMention], tuple[str, ...]]:
    """Lawful mentions and the ``stops`` that keep a mention from clearing hits in another clause."""
    ctx = _Ctx(path.name)
    doc = ctx.mapping(data, None, None)
    ctx.keys(doc, {"sets", "mentions", "stops"}, None, None)
    sets = _parse_sets(ctx, doc.get("sets"), sets)
    stops = _lang_lists(ctx, doc, "stops", sets)
    raw = doc.get("mentions")
    if not isinstance(raw, list):
        raise ctx.fail(None, "mentions", "应为列表", "must be a list")
    out: list[LawfulMention] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        m = ctx.mapping(item, f"mentions[{i}]", None)
        mid = m.get("id")
        if not isinstance(mid, str) or not _ID_RE.match(mid):
            raise ctx.fail(f"mentions[{i}]", "id", "id 必填", "id is required")
        if mid in seen:
            raise ctx.fail(mid, "id", "id 重复", "duplicate id")
        seen.add(mid)
        ctx.keys(m, {"id", "categories", "terms", "patterns", "reach", "description"}, mid, None)
        cats = ctx.str_list(m.get("categories"), mid, "categories")
        for c in cats:
            if c not in CATEGORIES:
                raise ctx.fail(mid, "categories", f"未知类别 {c}", f"unknown category {c}")
        if "terms" not in m and "patterns" not in m:
            raise ctx.fail(mid, "terms", "至少需要 terms 或 patterns", "needs terms or patterns (or both)")
        zh, en = ctx.description(m.get("description"), mid)
        out.append(
            LawfulMention(
                id=mid,
                categories=frozenset(cats),
                terms=ctx.terms(m["terms"], mid, "terms", sets) if "terms" in m else (),
                patterns=ctx.patterns(m["patterns"], mid, sets) if "patterns" in m else (),
                reach=ctx.integer(m.get("reach", 8), mid, "reach", 0, 80),
                description_zh=zh,
                description_en=en,
            )
        )
    return out, stops


def _parse_variants(path: Path, data: Any) -> Variants:
    ctx = _Ctx(path.name)
    doc = ctx.mapping(data, None, None)
    ctx.keys(
        doc,
        {"homophones", "pinyin_initials", "english_words", "pinyin_stop", "pinyin_weak", "max_expansions"},
        None,
        None,
    )
    english = frozenset(
        w.lower() for w in ctx.str_list(doc.get("english_words", []), None, "english_words", allow_empty=True)
    )
    homophones: dict[str, tuple[str, ...]] = {}
    raw_h = doc.get("homophones") or {}
    for key, value in ctx.mapping(raw_h, None, "homophones").items():
        canon = normalize_term(str(key))
        if not canon:
            raise ctx.fail(str(key), "homophones", "规范化后为空", "empty after normalisation")
        variants = tuple(
            v for v in (normalize_term(x) for x in ctx.str_list(value, str(key), "homophones")) if v != canon
        )
        homophones[canon] = tuple(dict.fromkeys(homophones.get(canon, ()) + variants))
    abbreviations: dict[str, str] = {}
    raw_a = doc.get("pinyin_initials") or []
    if not isinstance(raw_a, list):
        raise ctx.fail(None, "pinyin_initials", "应为列表", "must be a list")
    for i, item in enumerate(raw_a):
        a = ctx.mapping(item, f"pinyin_initials[{i}]", None)
        abbr = a.get("abbr")
        entry = str(abbr) if abbr else f"pinyin_initials[{i}]"
        ctx.keys(a, {"abbr", "means"}, entry, None)
        if not isinstance(abbr, str) or not _ABBR_RE.match(abbr):
            raise ctx.fail(entry, "abbr", "缩写应为 2–8 个小写字母", "abbr must be 2 to 8 lower-case letters")
        if abbr in english:
            raise ctx.fail(
                entry,
                "abbr",
                "缩写与常见英文单词相同，会误报",
                "abbr is an ordinary English word (english_words) and would cause false positives",
            )
        if abbr in abbreviations:
            raise ctx.fail(entry, "abbr", "缩写重复", "duplicate abbr")
        means = normalize_term(ctx.string(a.get("means"), entry, "means"))
        abbreviations[abbr] = means
    return Variants(
        homophones=homophones,
        abbreviations=abbreviations,
        english_words=english,
        pinyin_stop=frozenset(
            normalize_term(w)
            for w in ctx.str_list(doc.get("pinyin_stop", []), None, "pinyin_stop", allow_empty=True)
        ),
        pinyin_weak=frozenset(
            normalize_term(w)
            for w in ctx.str_list(doc.get("pinyin_weak", []), None, "pinyin_weak", allow_empty=True)
        ),
        max_expansions=ctx.integer(doc.get("max_expansions", 64), None, "max_expansions", 1, 4096),
    )


def load_lexicon(data_dir: str | Path | None = None) -> Lexicon:
    """Read and validate every data file in ``data_dir`` (default: the package's ``data/``)."""
    root = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if not root.is_dir():
        raise LexiconError(str(root), None, None, "数据目录不存在", "data directory does not exist")
    paths = sorted(p for p in root.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    digest = hashlib.sha256()
    for p in paths:
        digest.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    by_name = {p.name: p for p in paths}
    for p in paths:
        if p.name not in SHARED_FILES and p.stem not in CATEGORIES:
            raise LexiconError(
                p.name,
                None,
                None,
                f"未知数据文件；应为类别文件（{', '.join(CATEGORIES)}）或共享文件（{', '.join(SHARED_FILES)}）",
                f"unknown data file; expected a category file ({', '.join(CATEGORIES)}) "
                f"or a shared file ({', '.join(SHARED_FILES)})",
            )
    shared_sets: dict[str, tuple[str, ...]] = {}
    screened: frozenset[str] | None = None
    if "sets.yaml" in by_name:
        ctx = _Ctx("sets.yaml")
        doc = ctx.mapping(_load_yaml(by_name["sets.yaml"]), None, None)
        ctx.keys(doc, {"sets", "screened_speakers"}, None, None)
        shared_sets = _parse_sets(ctx, doc.get("sets"), {})
        screened = ctx.speakers(doc.get("screened_speakers"), None, "screened_speakers")
    negation = (
        _parse_negation(by_name["negation.yaml"], _load_yaml(by_name["negation.yaml"]), shared_sets)
        if "negation.yaml" in by_name
        else Negation()
    )
    lawful, lawful_stops = (
        _parse_lawful(by_name["lawful.yaml"], _load_yaml(by_name["lawful.yaml"]), shared_sets)
        if "lawful.yaml" in by_name
        else ([], ())
    )
    variants = (
        _parse_variants(by_name["variants.yaml"], _load_yaml(by_name["variants.yaml"]))
        if "variants.yaml" in by_name
        else Variants()
    )
    rules: list[Rule] = []
    for p in paths:
        if p.stem in CATEGORIES:
            rules.extend(_parse_category(p, _load_yaml(p), shared_sets))
    return Lexicon(
        rules=tuple(rules),
        negation=negation,
        lawful=tuple(lawful),
        variants=variants,
        version=digest.hexdigest(),
        lawful_stops=lawful_stops,
        screened_speakers=screened,
        files=tuple(p.name for p in paths),
    )


def main(argv: list[str] | None = None) -> int:
    """Validate a data directory: ``python -m qingzhai.compliance.monitor.lexicon [DATA_DIR]``."""
    args = sys.argv[1:] if argv is None else argv
    try:
        lex = load_lexicon(args[0] if args else None)
    except LexiconError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 1
    counts: dict[str, int] = {}
    for r in lex.rules:
        counts[r.category] = counts.get(r.category, 0) + 1
    print(f"版本 / version: {lex.version}")
    for c in CATEGORIES:
        print(f"  {c}: {counts.get(c, 0)} 条规则 / rules")
    print(f"  lawful mentions: {len(lex.lawful)}; negation cues: {len(lex.negation.cues)}")
    print(f"  homophones: {len(lex.variants.homophones)}; abbreviations: {len(lex.variants.abbreviations)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
