"""Planning a reminder campaign for 1,000,000 cases: with the compliance gate, and without it.

Both runs use the same planner (qingzhai.contact.campaigns.planner, pure Python, no database) on the same
synthetic cases, steps and capacity:

- ours: every message asked of the gate (the CN policy pack in force) at its slot; night hours, daily caps
  and cooling-off move it on, stops (dispute, opt-out, hardship, lawyer ...) refuse it with their rules;
- peer: the same scheduling by channel capacity alone, no gate (`gate=False`): what a plain bulk sender does.

Cases: 1 SMS step per debtor phone at hour 0 and a voice reminder at hour 24 (1.3 phones per debtor on
average); 4 % of debtors disputed, 2 % opted out of SMS, 1 % hardship, 0.5 % with a lawyer, 10 % with an
agreed evening window, and a third with up to four contacts in the last week. Capacity: SMS 150,000 and voice
60,000 an hour, from 20:00 Shanghai time (so part of the plan runs into the night and must move).

Prints seconds, messages, cases per second, the refused share, and the ratio ours / peer (time).

    .venv/bin/python benchmarks/campaign_planning.py [--cases 1000000] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qingzhai.compliance.gate.facts import (  # noqa: E402
    AgreedWindow,
    Channel,
    DebtorFacts,
    Outcome,
    Party,
    PastContact,
)
from qingzhai.compliance.policies.packs import load_pack  # noqa: E402
from qingzhai.contact.campaigns.planner import PlanCase, Step, plan  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 12, 2, 20, 0, tzinfo=SH).astimezone(UTC)
STEPS = [Step("sms", "reminder_sms_zh", 0), Step("voice", "reminder_voice_zh", 24)]
PER_HOUR = {"sms": 150_000, "voice": 60_000}


def cases(n: int, seed: int = 7):
    rng = random.Random(seed)
    evening = (AgreedWindow(start=dtime(21, 0), end=dtime(23, 0)),)
    for i in range(1, n + 1):
        r = rng.random()
        facts = DebtorFacts(
            dispute_open=r < 0.04,
            opted_out=frozenset({Channel.SMS}) if 0.04 <= r < 0.06 else frozenset(),
            hardship_until=date(2027, 1, 31) if 0.06 <= r < 0.07 else None,
            lawyer_represented=0.07 <= r < 0.075,
            agreed_windows=evening if rng.random() < 0.10 else (),
        )
        phones = (i * 2,) if rng.random() < 0.7 else (i * 2, i * 2 + 1)
        history: tuple[PastContact, ...] = ()
        if rng.random() < 0.33:
            history = tuple(
                PastContact(
                    at=START - timedelta(hours=rng.randint(1, 160)),
                    channel=rng.choice((Channel.CALL, Channel.SMS, Channel.BOT_CALL)),
                    party=Party.DEBTOR,
                    contact_id=f"cp:{phones[0]}",
                    debt_id=f"case:{i}",
                    outcome=rng.choice((Outcome.CONNECTED, Outcome.NO_ANSWER, Outcome.SENT)),
                )
                for _ in range(rng.randint(1, 4))
            )
        yield PlanCase(
            case_id=i, debtor_id=i, facts=facts, history=history, targets={"sms": phones, "voice": phones}
        )


def run(n: int, gate: bool) -> dict:
    pack = load_pack("cn", START)
    data = list(cases(n))
    began = time.perf_counter()
    total = refused = moved = 0
    for item in plan(data, STEPS, pack=pack if gate else None, start=START, end=START + timedelta(hours=72),
                     per_hour=PER_HOUR, gate=gate):  # fmt: skip
        total += 1
        refused += not item.allowed
        moved += item.moved
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the process's high-water mark
    return {
        "gate": gate, "cases": n, "messages": total, "refused": refused, "moved": moved,
        "seconds": round(seconds, 2), "cases_per_second": round(n / seconds), "max_rss_mib": round(peak / 2**20, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    peer = run(args.cases, gate=False)
    ours = run(args.cases, gate=True)
    ratio = round(ours["seconds"] / peer["seconds"], 2)
    if args.json:
        print(json.dumps({"ours": ours, "peer": peer, "time_ratio": ratio}))
        return
    print(f"cases {args.cases:,}; steps: SMS at 0 h, voice at 24 h; start 20:00 Shanghai")
    for label, r in (("peer: capacity only", peer), ("ours: with the gate", ours)):
        print(
            f"{label:22} {r['seconds']:8.2f} s  {r['messages']:,} messages  {r['cases_per_second']:,} cases/s  "
            f"refused {r['refused']:,} ({100 * r['refused'] / max(1, r['messages']):.1f} %)  moved {r['moved']:,}  "
            f"max RSS {r['max_rss_mib']} MiB"
        )
    print(f"ratio ours / peer (time): {ratio}×")


if __name__ == "__main__":
    main()
