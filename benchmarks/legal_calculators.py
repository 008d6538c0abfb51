"""Legal calculators: calls per second of each pure calculator, and the statutory-period calendar against
a peer library in the same run.

- Court fees (fees_fen: all five fees of one amount), contract interest (capped, LPR lookup), doubled
  late-performance interest, the limitation period of a debt with three interruptions: calls per second
  on one core over random inputs. No published Python library computes PRC court fees, LPR-capped
  interest or Civil Code limitation, so these have no peer; the figures are absolute.
- Statutory period end (calendar.period_end: a period in days from an event that ends on the next
  working day when its last day is a holiday, adjusted working weekends counted): ours (chinese-calendar
  data) against workalendar's China calendar (`is_working_day` walked forward) on the same random events in
  2018–2023 (the years workalendar's China calendar supports), with the share of answers that agree.
  workalendar is a peer only here: install it with `pip install workalendar` (not a dependency). The
  answers differ only around 2020-01-31/02-01: the State Council extended the 2020 Spring Festival
  holiday (国办发明电〔2020〕1号), which chinese-calendar has and workalendar does not.

    .venv/bin/python benchmarks/legal_calculators.py [--n 20000] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import time
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qingzhai.legal import calendar, fees, interest, limitation  # noqa: E402


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def rate(fn: Any, inputs: list[Any]) -> float:
    for item in inputs[:200]:  # warm caches (LPR table, calendar data)
        fn(item)
    start = time.perf_counter()
    for item in inputs:
        fn(item)
    return len(inputs) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    _pin()
    rnd = random.Random(7)
    n = args.n
    amounts = [rnd.randint(1, 2_000_000_000) for _ in range(n)]
    days0 = date(2020, 9, 1)
    spans = [
        (days0 + timedelta(days=rnd.randint(0, 1500)), rnd.randint(30, 900), rnd.choice(["9.5", "15", "24"]))
        for _ in range(n)
    ]
    due = [date(2019, 1, 1) + timedelta(days=rnd.randint(0, 2000)) for _ in range(n)]
    out: dict[str, Any] = {"n": n}
    out["fees_calls_per_s"] = rate(lambda a: fees.fees_fen(a), amounts)
    out["contract_interest_calls_per_s"] = rate(
        lambda s: interest.contract_interest(
            principal="100000", rate=s[2], start=s[0], end=s[0] + timedelta(days=s[1]), contract_date=s[0]
        ),
        spans,
    )
    out["late_interest_calls_per_s"] = rate(
        lambda s: interest.late_interest(principal="100000", days=s[1]), spans
    )

    def lim(d: date) -> Any:
        events = [
            limitation.Event(d + timedelta(days=200), "demand", delivered=True),
            limitation.Event(d + timedelta(days=500), "partial_payment"),
            limitation.Event(d + timedelta(days=700), "demand", delivered=False),
        ]
        return limitation.limitation(limitation.Terms(due_date=d), events, as_of=date(2026, 6, 30))

    out["limitation_calls_per_s"] = rate(lim, due)

    events = [
        (date(2018, 1, 1) + timedelta(days=rnd.randint(0, 5 * 365)), rnd.choice([5, 7, 15, 30]))
        for _ in range(n)
    ]
    out["period_end_calls_per_s"] = rate(lambda e: calendar.period_end(e[0], days=e[1]), events)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from workalendar.asia import China

            peer = China()

            def peer_end(e: tuple[date, int]) -> date:
                # find_following_working_day looks at weekends only, so walk with is_working_day, which
                # knows holidays and adjusted working days.
                day = e[0] + timedelta(days=e[1])
                while not peer.is_working_day(day):
                    day += timedelta(days=1)
                return day

            out["peer_period_end_calls_per_s"] = rate(peer_end, events)
            agree = sum(calendar.period_end(e[0], days=e[1]) == peer_end(e) for e in events)
        out["peer_agreement"] = agree / len(events)
        out["ratio_us_over_peer"] = out["period_end_calls_per_s"] / out["peer_period_end_calls_per_s"]
    except ImportError:
        out["peer"] = "workalendar not installed: pip install workalendar"
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"legal calculators, {n} random inputs each, one core")
    for key in ("fees", "contract_interest", "late_interest", "limitation", "period_end"):
        print(f"  {key:<20} {out[key + '_calls_per_s']:>12,.0f} calls/s")
    if "ratio_us_over_peer" in out:
        print(f"  peer period end (workalendar China) {out['peer_period_end_calls_per_s']:>12,.0f} calls/s")
        print(
            f"  ratio us / peer: {out['ratio_us_over_peer']:.2f}x; answers agree on {out['peer_agreement']:.2%}"
        )
    else:
        print("  " + out["peer"])


if __name__ == "__main__":
    main()
