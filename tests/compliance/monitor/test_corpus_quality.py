"""Quality on the labelled corpora (utterance level). A predicted category is a true positive when it is
among the utterance's labels.

* Main corpus (``utterances.jsonl``): overall precision and recall >= 0.95, recall >= 0.9 in every category.
* Development corpus (``utterances_dev.jsonl``, written separately, other phrasings): overall precision
  >= 0.96 and recall >= 0.92, recall >= 0.85 in every category. Measured at 0.985 / 0.947 and a lowest
  category recall of 0.903 when these thresholds were set; the margin absorbs small lexicon changes.

The held-out corpus is deliberately not used here: it is reported by ``benchmarks/screening.py`` only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qingzhai.compliance.monitor import CATEGORIES, Screener

DATA = Path(__file__).resolve().parents[2] / "data" / "compliance"
CORPUS = DATA / "utterances.jsonl"
DEV_CORPUS = DATA / "utterances_dev.jsonl"

Counts = dict[str, dict[str, int]]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener()


def _counts(screener: Screener, path: Path) -> Counts:
    # The corpora are part of the repository: a missing file is a failure, not a reason to skip.
    assert path.exists(), f"labelled corpus missing: {path} (see tests/data/compliance/README.md)"
    out = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            labels = set(row["labels"])
            predicted = {
                v.category
                for v in screener.screen(
                    row["text"], speaker=row.get("speaker") or "collector", lang=row.get("lang")
                )
            }
            for c in CATEGORIES:
                if c in predicted and c in labels:
                    out[c]["tp"] += 1
                elif c in predicted:
                    out[c]["fp"] += 1
                elif c in labels:
                    out[c]["fn"] += 1
    return out


@pytest.fixture(scope="module")
def counts(screener: Screener) -> Counts:
    return _counts(screener, CORPUS)


@pytest.fixture(scope="module")
def dev_counts(screener: Screener) -> Counts:
    return _counts(screener, DEV_CORPUS)


def _overall(counts: Counts) -> tuple[float, float, int, int]:
    tp = sum(v["tp"] for v in counts.values())
    fp = sum(v["fp"] for v in counts.values())
    fn = sum(v["fn"] for v in counts.values())
    return tp / (tp + fp), tp / (tp + fn), fp, fn


def test_overall_precision_and_recall(counts):
    precision, recall, fp, fn = _overall(counts)
    assert precision >= 0.95, f"overall precision {precision:.3f} < 0.95 ({fp} false positives)"
    assert recall >= 0.95, f"overall recall {recall:.3f} < 0.95 ({fn} misses)"


@pytest.mark.parametrize("category", CATEGORIES)
def test_recall_per_category(counts, category):
    v = counts[category]
    assert v["tp"] + v["fn"] > 0, f"no labelled {category} utterances in the corpus"
    recall = v["tp"] / (v["tp"] + v["fn"])
    assert recall >= 0.9, f"{category}: recall {recall:.3f} < 0.9 ({v['fn']} misses)"


def test_dev_overall_precision_and_recall(dev_counts):
    precision, recall, fp, fn = _overall(dev_counts)
    assert precision >= 0.96, f"dev precision {precision:.3f} < 0.96 ({fp} false positives)"
    assert recall >= 0.92, f"dev recall {recall:.3f} < 0.92 ({fn} misses)"


@pytest.mark.parametrize("category", CATEGORIES)
def test_dev_recall_per_category(dev_counts, category):
    v = dev_counts[category]
    assert v["tp"] + v["fn"] > 0, f"no labelled {category} utterances in the dev corpus"
    recall = v["tp"] / (v["tp"] + v["fn"])
    assert recall >= 0.85, f"dev {category}: recall {recall:.3f} < 0.85 ({v['fn']} misses)"
