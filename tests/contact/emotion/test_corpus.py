"""Accuracy and macro-F1 on the labelled debtor utterances, against the plain lexicon-count baselines.

emotion.jsonl is the corpus the lexicon was tuned on; emotion_holdout.jsonl was written afterwards and never
used for tuning, so its figure is the honest one for unseen speech."""

import json
from collections import Counter
from pathlib import Path

import pytest

from qingzhai.contact.emotion import EMOTIONS, classify
from qingzhai.contact.emotion.baseline import dutir_count, phrase_count, scores

DATA = Path(__file__).resolve().parents[2] / "data" / "contact"


def rows(name):
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]


MAIN, HOLDOUT = rows("emotion.jsonl"), rows("emotion_holdout.jsonl")


def measure(corpus, predict):
    return scores([r["label"] for r in corpus], [predict(r["text"]) for r in corpus])


def test_corpora_are_large_balanced_and_disjoint():
    assert len(MAIN) >= 300 and len(HOLDOUT) >= 100
    assert Counter(r["label"] for r in MAIN) == dict.fromkeys(EMOTIONS, 65)
    assert Counter(r["label"] for r in HOLDOUT) == dict.fromkeys(EMOTIONS, 22)
    assert len({r["id"] for r in MAIN + HOLDOUT}) == len(MAIN) + len(HOLDOUT)
    assert not {r["text"] for r in MAIN} & {r["text"] for r in HOLDOUT}


def test_scores_helper():
    got = scores(["sad", "sad", "calm", "angry"], ["sad", "calm", "calm", "sad"])
    assert got["accuracy"] == 0.5
    assert got["f1"] == {"anxious": 0.0, "angry": 0.0, "sad": 0.5, "calm": 2 / 3, "cooperative": 0.0}
    assert got["macro_f1"] == pytest.approx((0.5 + 2 / 3) / 5)


def test_main_corpus_macro_f1_at_least_0_8_and_well_above_the_baseline():
    ours = measure(MAIN, lambda t: classify(t).label)
    base = measure(MAIN, dutir_count)
    assert ours["macro_f1"] >= 0.8
    assert ours["macro_f1"] >= 0.95 and ours["accuracy"] >= 0.95  # 0.982 / 0.982 when written
    assert min(ours["f1"].values()) >= 0.9
    assert base["accuracy"] < 0.45  # 0.372 (macro-F1 0.361): DUTIR counts alone
    assert ours["macro_f1"] / base["macro_f1"] >= 2.5


def test_holdout_figures_are_what_was_reached():
    ours = measure(HOLDOUT, lambda t: classify(t).label)
    base = measure(HOLDOUT, dutir_count)
    counts = measure(HOLDOUT, phrase_count)
    # measured when written: ours 0.627 accuracy / 0.621 macro-F1; DUTIR counts 0.364 / 0.317;
    # our lexicon counted without rules 0.618 / 0.612
    assert ours["macro_f1"] >= 0.6 and ours["accuracy"] >= 0.6
    assert ours["macro_f1"] >= 1.9 * base["macro_f1"]
    assert ours["accuracy"] >= counts["accuracy"]
