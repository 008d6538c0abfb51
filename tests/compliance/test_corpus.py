"""Checks on the labelled utterance corpus used to evaluate utterance screening.

The corpus lives in tests/data/compliance/. These tests only check the data (format, labels, counts,
consistency of language and evasion markers, README counts table); they do not run the screening engine.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import opencc
import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "compliance"
MAIN = DATA / "utterances.jsonl"
HOLDOUT = DATA / "utterances_holdout.jsonl"
DEV = DATA / "utterances_dev.jsonl"
README = DATA / "README.md"

CATEGORIES = (
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
LANGS = {"zh-Hans", "zh-Hant", "en"}
SPEAKERS = {"collector", "bot"}
EVASIONS = ("spaces", "punctuation", "traditional", "homophone", "pinyin_initials", "mixed")
KEYS = ["id", "text", "lang", "speaker", "labels", "hard_negative", "evasion", "note"]
ID_PATTERN = {
    MAIN.name: re.compile(r"^u\d{4}$"),
    HOLDOUT.name: re.compile(r"^h\d{4}$"),
    DEV.name: re.compile(r"^d\d{4}$"),
}

CJK = re.compile(r"[\u3400-\u9fff]")
CJK_SPACE_CJK = re.compile(r"[\u3400-\u9fff][ \u3000]+[\u3400-\u9fff]")
CJK_PUNCT_CJK = re.compile(r"[\u3400-\u9fff][.\-*/_|~·@]+[\u3400-\u9fff]")
LATIN_RUN = re.compile(r"[A-Za-z]{2,}")
LATIN = re.compile(r"[A-Za-z]")
SUBSTITUTION = re.compile(r"([A-Za-z\u3400-\u9fff]+)→([\u3400-\u9fff]+)")

_T2S = opencc.OpenCC("t2s")


def _load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{number} is blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number} is not an object"
        rows.append(row)
    return rows


# Every format check below runs on each corpus file: the parametrised ones per file, the others over ALL_ROWS.
CORPORA = {MAIN.name: _load(MAIN), HOLDOUT.name: _load(HOLDOUT), DEV.name: _load(DEV)}
# Column order of the README counts table.
TABLE_FILES = (MAIN.name, HOLDOUT.name, DEV.name)
ALL_ROWS = [(name, row) for name, rows in CORPORA.items() for row in rows]


def _violations(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["labels"]]


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """The metrics reported in the README counts table."""
    label_counts = Counter(label for r in rows for label in r["labels"])
    result = {"total": len(rows)}
    result.update({c: label_counts[c] for c in CATEGORIES})
    result["violating utterances"] = len(_violations(rows))
    result["multi-label"] = sum(1 for r in rows if len(r["labels"]) > 1)
    result["lawful"] = sum(1 for r in rows if not r["labels"])
    result["hard negatives"] = sum(1 for r in rows if r["hard_negative"])
    for lang in ("zh-Hans", "zh-Hant", "en"):
        result[f"lang {lang}"] = sum(1 for r in rows if r["lang"] == lang)
    for speaker in ("collector", "bot"):
        result[f"speaker {speaker}"] = sum(1 for r in rows if r["speaker"] == speaker)
    for evasion in EVASIONS:
        result[f"evasion {evasion}"] = sum(1 for r in _violations(rows) if r["evasion"] == evasion)
    result["evasion on lawful"] = sum(1 for r in rows if not r["labels"] and r["evasion"] is not None)
    return result


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_row_has_exactly_the_schema_keys_in_order(name):
    bad = [r.get("id") for r in CORPORA[name] if list(r) != KEYS]
    assert bad == []


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_ids_are_well_formed_and_sequential(name):
    ids = [r["id"] for r in CORPORA[name]]
    assert all(ID_PATTERN[name].match(i) for i in ids)
    prefix = ids[0][0]
    assert ids == [f"{prefix}{n:04d}" for n in range(1, len(ids) + 1)]


def test_ids_are_unique_across_both_files():
    ids = [row["id"] for _, row in ALL_ROWS]
    assert len(ids) == len(set(ids))


def test_field_values_are_allowed():
    problems = []
    for name, r in ALL_ROWS:
        ok = (
            isinstance(r["text"], str)
            and r["text"] == r["text"].strip()
            and r["text"] != ""
            and r["lang"] in LANGS
            and r["speaker"] in SPEAKERS
            and isinstance(r["labels"], list)
            and all(label in CATEGORIES for label in r["labels"])
            and type(r["hard_negative"]) is bool
            and (r["evasion"] is None or r["evasion"] in EVASIONS)
            and isinstance(r["note"], str)
            and r["note"].strip() != ""
        )
        if not ok:
            problems.append((name, r["id"]))
    assert problems == []


def test_labels_are_a_set_in_canonical_order():
    bad = [
        row["id"] for _, row in ALL_ROWS if row["labels"] != sorted(set(row["labels"]), key=CATEGORIES.index)
    ]
    assert bad == []


def test_hard_negatives_carry_no_labels():
    bad = [row["id"] for _, row in ALL_ROWS if row["hard_negative"] and row["labels"]]
    assert bad == []


def test_texts_are_unique_within_and_across_files():
    def key(text: str) -> str:
        return re.sub(r"\s+", "", text)

    seen = Counter(key(row["text"]) for _, row in ALL_ROWS)
    assert [t for t, n in seen.items() if n > 1] == []


def test_language_tag_matches_the_script():
    bad = []
    for _, r in ALL_ROWS:
        text, lang = r["text"], r["lang"]
        if lang == "en":
            fits = CJK.search(text) is None
        elif lang == "zh-Hant":
            fits = CJK.search(text) is not None and _T2S.convert(text) != text
        else:
            # Simplified text only changes under t2s when traditional characters were slipped in on purpose.
            fits = CJK.search(text) is not None and (
                r["evasion"] in ("traditional", "mixed") or _T2S.convert(text) == text
            )
        if not fits:
            bad.append(r["id"])
    assert bad == []


def test_evasion_markers_are_visible_in_the_text():
    checks = {
        "spaces": lambda t: CJK_SPACE_CJK.search(t) is not None,
        "punctuation": lambda t: CJK_PUNCT_CJK.search(t) is not None,
        "traditional": lambda t: _T2S.convert(t) != t,
        "pinyin_initials": lambda t: CJK.search(t) is not None and LATIN_RUN.search(t) is not None,
        "mixed": lambda t: CJK.search(t) is not None and LATIN.search(t) is not None,
        "homophone": lambda t: CJK.search(t) is not None,
    }
    bad = [r["id"] for _, r in ALL_ROWS if r["evasion"] and not checks[r["evasion"]](r["text"])]
    assert bad == []


def test_homophone_and_initials_notes_name_a_substitution_found_in_the_text():
    bad = []
    for _, r in ALL_ROWS:
        if r["evasion"] not in ("homophone", "pinyin_initials"):
            continue
        pairs = SUBSTITUTION.findall(r["note"])
        if not pairs or any(src == dst or src.lower() not in r["text"].lower() for src, dst in pairs):
            bad.append(r["id"])
    assert bad == []


def test_main_corpus_meets_the_minimum_counts():
    c = counts(CORPORA[MAIN.name])
    shortfalls = {
        metric: (c[metric], minimum)
        for metric, minimum in [
            ("total", 400),
            *[(cat, 25) for cat in CATEGORIES],
            ("lawful", 150),
            ("hard negatives", 80),
            ("lang zh-Hant", 40),
            ("lang en", 50),
            ("speaker bot", 40),
            *[(f"evasion {e}", 15) for e in EVASIONS],
        ]
        if c[metric] < minimum
    }
    assert shortfalls == {}
    assert c["lang zh-Hans"] > c["lang zh-Hant"] + c["lang en"]
    assert c["speaker collector"] > c["speaker bot"]


def test_holdout_meets_its_minimum_counts():
    c = counts(CORPORA[HOLDOUT.name])
    shortfalls = {
        metric: (c[metric], minimum)
        for metric, minimum in [
            ("total", 120),
            *[(cat, 8) for cat in CATEGORIES],
            ("lawful", 40),
            ("hard negatives", 25),
            ("lang zh-Hant", 10),
            ("lang en", 12),
            ("speaker bot", 10),
            *[(f"evasion {e}", 5) for e in EVASIONS],
        ]
        if c[metric] < minimum
    }
    assert shortfalls == {}


def test_holdout_proportions_roughly_follow_the_main_corpus():
    main, hold = counts(CORPORA[MAIN.name]), counts(CORPORA[HOLDOUT.name])
    for metric in ("lawful", "hard negatives", "lang en", "lang zh-Hant"):
        share_main = main[metric] / main["total"]
        share_hold = hold[metric] / hold["total"]
        assert abs(share_main - share_hold) < 0.10, metric


def test_dev_corpus_meets_its_minimum_counts():
    c = counts(CORPORA[DEV.name])
    shortfalls = {
        metric: (c[metric], minimum)
        for metric, minimum in [
            ("total", 300),
            *[(cat, 20) for cat in CATEGORIES],
            ("lawful", 110),
            ("hard negatives", 60),
            ("lang zh-Hant", 25),
            ("lang en", 35),
            ("speaker bot", 30),
            *[(f"evasion {e}", 8) for e in EVASIONS],
        ]
        if c[metric] < minimum
    }
    assert shortfalls == {}
    assert c["lang zh-Hans"] > c["lang zh-Hant"] + c["lang en"]
    assert c["speaker collector"] > c["speaker bot"]


def _readme_table() -> dict[str, tuple[int, ...]]:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- counts:start -->", 1)[1].split("<!-- counts:end -->", 1)[0]
    table = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 1 + len(TABLE_FILES) and all(cell.isdigit() for cell in cells[1:]):
            table[cells[0].strip("`")] = tuple(int(cell) for cell in cells[1:])
    return table


def test_readme_counts_table_matches_the_files():
    per_file = [counts(CORPORA[name]) for name in TABLE_FILES]
    expected = {metric: tuple(c[metric] for c in per_file) for metric in per_file[0]}
    assert _readme_table() == expected
