"""Collection bot: turn latency (p50/p99, without ASR/TTS) and simulated calls per hour on this machine.

- Ours: the dialog engine (intents, emotion classifier, every bot line screened by the compliance monitor)
  running the standard_v1 script against the seven simulated personas.
- Peer: a bare keyword if/else bot over the same personas and seeds: no emotion, no slot parsing, no
  screening. It is what a first attempt looks like; the ratio shows what the checks cost, and the share of
  calls that end in the outcome the persona should get shows what they buy.

    .venv/bin/python benchmarks/bot.py [--calls 700] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qingzhai.contact.dialog import DialogEngine, load_script  # noqa: E402
from qingzhai.contact.dialog.simulator import PERSONAS, sample_account  # noqa: E402

TODAY = date(2026, 5, 13)


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# ---------------------------------------------------------------------------------------------- peer

_ENDS = {"wrong_number", "third_party", "handover", "dispute", "hardship", "confirm_promise", "close_refused"}


def peer_turn(node: str, text: str) -> str:
    """The next node of a keyword if/else bot."""
    if "打错" in text or "不认识" in text or "没有这个人" in text:
        return "wrong_number"
    if "不在" in text or "转告" in text or "上班" in text:
        return "third_party"
    if "人工" in text:
        return "handover"
    if "不是我借" in text or "不对" in text or "异议" in text:
        return "dispute"
    if "失业" in text or "住院" in text or "倒闭" in text:
        return "hardship"
    if node.startswith("greeting"):
        return "verify" if "是" in text else "greeting_retry"
    if node == "verify":
        return "reminder"
    if node in ("reminder", "offer_instalment"):
        if "分期" in text or "分几" in text:
            return "offer_instalment"
        if "号" in text or "周" in text or "月底" in text or "天" in text:
            return "confirm_promise"
        if "好" in text or "行" in text or "可以" in text:
            return "ask_date"
        return "close_refused"
    if node == "ask_date":
        return "confirm_promise"
    return "close_refused"


def run_peer(persona: str, seed: int, latencies: list[float]) -> str:
    rng = random.Random(f"{persona}:{seed}")
    account = sample_account(rng)
    debtor = PERSONAS[persona](rng, account, TODAY)
    node = "greeting"
    for _ in range(20):
        text = debtor.reply(node, None)
        t0 = time.perf_counter()
        node = peer_turn(node, text)
        latencies.append(time.perf_counter() - t0)
        if node in _ENDS:
            break
    return {"confirm_promise": "promise", "close_refused": "refused"}.get(node, node)


# ---------------------------------------------------------------------------------------------- ours


def run_ours(script: Any, persona: str, seed: int, latencies: list[float]) -> str:
    rng = random.Random(f"{persona}:{seed}")
    account = sample_account(rng)
    debtor = PERSONAS[persona](rng, account, TODAY)
    engine = DialogEngine(script, account, today=TODAY)
    turn = engine.start()
    for _ in range(40):
        if engine.done:
            break
        text = debtor.reply(turn.node, engine.plan)
        t0 = time.perf_counter()
        turn = engine.hear(text) or turn
        latencies.append(time.perf_counter() - t0)
    assert engine.outcome is not None
    return engine.outcome.kind


def measure(fn: Any, calls: int) -> dict[str, Any]:
    names = list(PERSONAS)
    latencies: list[float] = []
    right = 0
    start = time.perf_counter()
    for i in range(calls):
        persona = names[i % len(names)]
        right += fn(persona, i, latencies) in PERSONAS[persona].outcomes
    elapsed = time.perf_counter() - start
    return {
        "calls": calls,
        "turns": len(latencies),
        "turn_p50_ms": round(statistics.median(latencies) * 1000, 4),
        "turn_p99_ms": round(pct(latencies, 0.99) * 1000, 4),
        "calls_per_hour": round(calls / elapsed * 3600),
        "expected_outcome_rate": round(right / calls, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=700)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    _pin()
    script = load_script("standard_v1")
    run_ours(script, "cooperative", 10**6, [])  # load lexicons, jieba, the emotion model once
    ours = measure(lambda p, s, lat: run_ours(script, p, s, lat), args.calls)
    peer = measure(run_peer, args.calls)
    result = {
        "ours": ours,
        "peer_keyword_bot": peer,
        "ratio_calls_per_hour_ours_over_peer": round(ours["calls_per_hour"] / peer["calls_per_hour"], 4),
        "ratio_turn_p50_ours_over_peer": round(ours["turn_p50_ms"] / max(peer["turn_p50_ms"], 1e-6), 1),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for name, r in (("ours (engine + emotion + screening)", ours), ("peer (keyword if/else)", peer)):
        print(
            f"{name:38s} turn p50 {r['turn_p50_ms']:.3f} ms  p99 {r['turn_p99_ms']:.3f} ms  "
            f"{r['calls_per_hour']:>12,} calls/h  right outcome {r['expected_outcome_rate']:.1%}"
        )
    print(
        f"calls/hour ours/peer: {result['ratio_calls_per_hour_ours_over_peer']}  "
        f"turn p50 ours/peer: {result['ratio_turn_p50_ours_over_peer']}x"
    )


if __name__ == "__main__":
    main()
