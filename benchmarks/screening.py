"""Utterance screening: quality on the labelled corpora and throughput against a bare Aho-Corasick scan.

Quality is utterance-level: a predicted category is a true positive when it is among the utterance's
labels. Printed per category and overall (micro-averaged) for the main corpus
(tests/data/compliance/utterances.jsonl) and, when present, the held-out corpus
(tests/data/compliance/utterances_holdout.jsonl), which measures generalisation and is never used for tuning.

Throughput is measured on one core (the process is pinned to one CPU where the OS allows it): our engine
(normalisation, Aho-Corasick, patterns, negation, lawful mentions, jieba boundaries) against, as the peer,
a bare pyahocorasick scan of the same texts with the same lexicon terms (the engine's own term table,
variants included), both in the same run. The ratio says how many times more time per utterance the engine
needs than the bare scan.

The engine is measured as ``Screener()`` ships (learned layer on when scikit-learn is installed, see
``qingzhai.compliance.monitor.learned``); a second table compares rules only with rules + learned layer.

    .venv/bin/python benchmarks/screening.py [--json] [--seconds 2.0]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qingzhai.compliance.monitor import CATEGORIES, Screener  # noqa: E402

MAIN = ROOT / "tests" / "data" / "compliance" / "utterances.jsonl"
HOLDOUT = ROOT / "tests" / "data" / "compliance" / "utterances_holdout.jsonl"


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def quality(screener: Screener, rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {c: {"tp": 0, "fp": 0, "fn": 0, "support": 0} for c in CATEGORIES}
    exact = 0
    lawful = 0
    lawful_flagged = 0
    for row in rows:
        labels = set(row["labels"])
        predicted = {
            v.category
            for v in screener.screen(
                row["text"], speaker=row.get("speaker") or "collector", lang=row.get("lang")
            )
        }
        exact += predicted == labels
        if not labels:
            lawful += 1
            lawful_flagged += bool(predicted)
        for c in CATEGORIES:
            counts[c]["support"] += c in labels
            if c in predicted and c in labels:
                counts[c]["tp"] += 1
            elif c in predicted:
                counts[c]["fp"] += 1
            elif c in labels:
                counts[c]["fn"] += 1

    def pr(tp: int, fp: int, fn: int) -> dict[str, float]:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    per_cat = {c: {**v, **pr(v["tp"], v["fp"], v["fn"])} for c, v in counts.items()}
    tp = sum(v["tp"] for v in counts.values())
    fp = sum(v["fp"] for v in counts.values())
    fn = sum(v["fn"] for v in counts.values())
    overall = {"tp": tp, "fp": fp, "fn": fn, "support": tp + fn, **pr(tp, fp, fn)}
    return {
        "utterances": len(rows),
        "categories": per_cat,
        "overall": overall,
        "exact_match": round(exact / len(rows), 4) if rows else 0.0,
        "lawful_utterances": lawful,
        "lawful_flagged": lawful_flagged,
    }


def markdown(title: str, q: dict[str, Any]) -> str:
    lines = [
        f"### {title} ({q['utterances']} utterances)",
        "",
        "| category | support | TP | FP | FN | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in CATEGORIES:
        v = q["categories"][c]
        lines.append(
            f"| `{c}` | {v['support']} | {v['tp']} | {v['fp']} | {v['fn']} | "
            f"{v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |"
        )
    o = q["overall"]
    lines.append(
        f"| **overall** | {o['support']} | {o['tp']} | {o['fp']} | {o['fn']} | "
        f"**{o['precision']:.3f}** | **{o['recall']:.3f}** | **{o['f1']:.3f}** |"
    )
    lines.append("")
    lines.append(
        f"Exact label-set match: {q['exact_match']:.3f}; lawful utterances flagged: "
        f"{q['lawful_flagged']} of {q['lawful_utterances']}."
    )
    return "\n".join(lines)


def comparison(result: dict[str, Any]) -> str:
    """Rules only against rules + learned layer, overall per corpus."""
    lines = [
        "### Rules only vs rules + learned layer",
        "",
        "| corpus | screener | TP | FP | FN | precision | recall | F1 | lawful flagged |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in ("main", "holdout"):
        if key not in result["rules_only"]:
            continue
        for name, q in (("rules only", result["rules_only"][key]), ("rules + learned", result[key])):
            o = q["overall"]
            lines.append(
                f"| {key} | {name} | {o['tp']} | {o['fp']} | {o['fn']} | {o['precision']:.3f} | "
                f"{o['recall']:.3f} | {o['f1']:.3f} | {q['lawful_flagged']} of {q['lawful_utterances']} |"
            )
    return "\n".join(lines)


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity") and hasattr(os, "sched_getaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def rate(fn: Any, texts: list[str], seconds: float) -> tuple[float, int]:
    """Utterances per second of ``fn`` over ``texts``, repeated for at least ``seconds``."""
    fn(texts)  # warm
    loops = 0
    start = time.perf_counter()
    while True:
        fn(texts)
        loops += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    return loops * len(texts) / elapsed, loops


def throughput(screener: Screener, rows: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    import ahocorasick

    texts = [r["text"] for r in rows]
    speakers = [r.get("speaker") or "collector" for r in rows]
    langs = [r.get("lang") for r in rows]

    peer = ahocorasick.Automaton()
    for term in screener.terms:
        peer.add_word(term, term)
    peer.make_automaton()

    def bare(batch: list[str]) -> None:
        for t in batch:
            list(peer.iter(t.lower()))

    def ours(batch: list[str]) -> None:
        sc = screener.screen
        for t, s, lg in zip(batch, speakers, langs, strict=True):
            sc(t, speaker=s, lang=lg)

    peer_rate, peer_loops = rate(bare, texts, seconds)
    our_rate, our_loops = rate(ours, texts, seconds)
    latencies = []
    for t, s, lg in zip(texts, speakers, langs, strict=True):
        t0 = time.perf_counter()
        screener.screen(t, speaker=s, lang=lg)
        latencies.append((time.perf_counter() - t0) * 1e6)
    latencies.sort()
    return {
        "utterances": len(texts),
        "mean_chars": round(statistics.mean(len(t) for t in texts), 1),
        "lexicon_terms": len(screener.terms),
        "peer_bare_pyahocorasick_per_s": round(peer_rate),
        "ours_per_s": round(our_rate),
        "ratio_peer_over_ours": round(peer_rate / our_rate, 2),
        "latency_us_p50": round(latencies[len(latencies) // 2], 1),
        "latency_us_p99": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "loops": {"peer": peer_loops, "ours": our_loops},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--seconds", type=float, default=2.0, help="minimum seconds per throughput measurement")
    ap.add_argument("--corpus", type=Path, default=MAIN)
    ap.add_argument("--holdout", type=Path, default=HOLDOUT)
    args = ap.parse_args(argv)

    if not args.corpus.exists():
        print(f"corpus missing: {args.corpus}", file=sys.stderr)
        return 2
    pinned = pin_one_core()
    t0 = time.perf_counter()
    screener = Screener()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    screener.warm_up()
    warm_s = time.perf_counter() - t0

    main_rows = load(args.corpus)
    result: dict[str, Any] = {
        "lexicon_version": screener.version,
        "learned_layer": screener.learned,
        "startup_s": {"load_and_compile": round(load_s, 3), "warm_up_jieba_opencc": round(warm_s, 3)},
        "main": quality(screener, main_rows),
    }
    holdout_rows = load(args.holdout) if args.holdout.exists() else None
    if holdout_rows is not None:
        result["holdout"] = quality(screener, holdout_rows)
    if screener.learned:
        rules_only = Screener(learned=False)
        result["rules_only"] = {"main": quality(rules_only, main_rows)}
        if holdout_rows is not None:
            result["rules_only"]["holdout"] = quality(rules_only, holdout_rows)
    result["throughput"] = {"cpu": pinned, **throughput(screener, main_rows, args.seconds)}

    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    layer = "on" if screener.learned else "off"
    print(f"## Utterance screening (lexicon {screener.version[:12]}, learned layer {layer})\n")
    print(markdown(f"Main corpus `{args.corpus.name}`", result["main"]))
    print()
    if "holdout" in result:
        print(
            markdown(
                f"Held-out corpus `{args.holdout.name}` (generalisation, never tuned on)", result["holdout"]
            )
        )
    else:
        print(f"Held-out corpus `{args.holdout.name}`: not present.")
    if "rules_only" in result:
        print()
        print(comparison(result))
    tp = result["throughput"]
    print()
    print(
        f"### Throughput, one core ({tp['cpu']}; {tp['utterances']} utterances, mean {tp['mean_chars']} chars)\n"
    )
    print("| scanner | utterances/s |")
    print("|---|---:|")
    print(
        f"| peer: bare pyahocorasick scan, same {tp['lexicon_terms']} terms | {tp['peer_bare_pyahocorasick_per_s']:,} |"
    )
    print(f"| us: full screening engine | {tp['ours_per_s']:,} |")
    print()
    print(
        f"Ratio peer/us: {tp['ratio_peer_over_ours']}x (the bare scan does no normalisation, patterns, "
        f"negation or lawful-mention checks). Engine latency p50 {tp['latency_us_p50']} µs, "
        f"p99 {tp['latency_us_p99']} µs. Start-up: load+compile {result['startup_s']['load_and_compile']} s, "
        f"warm-up (jieba, OpenCC, learned-layer training) {result['startup_s']['warm_up_jieba_opencc']} s."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
