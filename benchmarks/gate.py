"""Contact gate: decisions per second and p99 latency with one year of contact history for 100,000 debtors.

Builds a fresh database (SQLite in a temporary QINGZHAI_DATA_DIR, or PostgreSQL with --pg URL, database
recreated), 100,000 debtors with one case and one phone each, and a year of outbound contacts (default 24 per
debtor, 2.4 million rows, all at lawful hours). Then, for --runs random debtors, asks the gate through the
service (`contact_clear`: loads the pack, the debtor's facts and the history window, evaluates, stores the
decision) and reports decisions per second, p50 and p99.

Peers, in the same run on the same inputs:
  - engine: the pure `evaluate` alone, history already in memory (the floor: what the database adds),
  - full-year: the same service work but loading the debtor's whole year of history instead of the window.

    .venv/bin/python benchmarks/gate.py [--debtors 100000] [--per-debtor 24] [--runs 2000] [--pg URL]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def configure(data_dir: Path, pg: str | None) -> None:
    if pg:
        os.environ["DATABASE_URL"] = pg
        import psycopg

        base, name = pg.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["QINGZHAI_DATA_DIR"] = str(data_dir)
    os.environ["QINGZHAI_ALLOW_GENERATED_SECRETS"] = "1"
    os.environ["QINGZHAI_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingzhai.config.settings"
    import django

    django.setup()


def build(n_debtors: int, per_debtor: int) -> tuple[object, datetime]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from qingzhai.accounts.models import User
    from qingzhai.core import pii
    from qingzhai.portfolio.models import Activity, Case, ContactPoint, Creditor, Debtor, Portfolio

    call_command("migrate", verbosity=0)
    rng = random.Random(20261128)
    end = datetime(2026, 11, 27, 0, 0).astimezone()
    supervisor = User.objects.create(username="bench-supervisor", role="supervisor")
    creditor = Creditor.objects.create(name="基准银行", code="BENCH")
    portfolio = Portfolio.objects.create(
        creditor=creditor, code="B1", placement_date=end.date() - timedelta(400)
    )
    chunk = 10_000
    started = time.perf_counter()
    for lo in range(0, n_debtors, chunk):
        hi = min(n_debtors, lo + chunk)
        with transaction.atomic():
            debtors = []
            for i in range(lo, hi):
                d = Debtor(creditor=creditor, name=f"债务人{i}")
                debtors.append(d)
            Debtor.objects.bulk_create(debtors, batch_size=5000)
            if connection.vendor == "sqlite":  # bulk_create returns no ids on older SQLite paths
                debtors = list(Debtor.objects.filter(name__in=[d.name for d in debtors]).order_by("id"))
            points = []
            for d in debtors:
                p = ContactPoint(debtor=d, is_primary=True)
                pii.set_value(p, "value", f"13{d.pk:09d}")
                points.append(p)
            ContactPoint.objects.bulk_create(points, batch_size=5000)
            cases = Case.objects.bulk_create(
                [Case(portfolio=portfolio, debtor=d) for d in debtors], batch_size=5000
            )
            point_ids = dict(ContactPoint.objects.filter(debtor__in=debtors).values_list("debtor_id", "id"))
            case_ids = dict(Case.objects.filter(debtor__in=debtors).values_list("debtor_id", "id"))
            acts = []
            for d in debtors:
                for _ in range(per_debtor):
                    day = end - timedelta(days=rng.randint(1, 365))
                    moment = day.replace(hour=rng.randint(9, 19), minute=rng.randint(0, 59))
                    acts.append(
                        Activity(
                            case_id=case_ids[d.pk],
                            kind="call",
                            party="debtor",
                            contact_point_id=point_ids[d.pk],
                            outcome=rng.choice(("connected", "no_answer", "no_answer", "promise")),
                            occurred_at=moment,
                            created_at=moment,
                        )
                    )
            Activity.objects.bulk_create(acts, batch_size=5000)
            del cases
        print(f"  built {hi:,}/{n_debtors:,} debtors ({time.perf_counter() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return supervisor, end


def measure(fn, items) -> list[float]:
    out = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t0)
    return out


def summary(name: str, times: list[float]) -> dict[str, float]:
    times = sorted(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    row = {
        "per_s": len(times) / sum(times),
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": p99 * 1000,
    }
    print(
        f"  {name:<40} {row['per_s']:>10,.0f}/s   p50 {row['p50_ms']:7.2f} ms   p99 {row['p99_ms']:7.2f} ms"
    )
    return row


def run(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="qz-bench-gate-"))
    try:
        configure(tmp, args.pg)
        from django.db import connection

        from qingzhai.compliance import inputs
        from qingzhai.compliance.gate.engine import evaluate, history_lookback
        from qingzhai.compliance.services import contact_clear
        from qingzhai.portfolio.models import Case

        print(f"database: {connection.vendor}; {args.debtors:,} debtors × {args.per_debtor} contacts/year")
        t0 = time.perf_counter()
        supervisor, end = build(args.debtors, args.per_debtor)
        print(f"built in {time.perf_counter() - t0:.0f} s")
        rng = random.Random(7)
        case_ids = list(Case.objects.values_list("id", flat=True))
        sample = [rng.choice(case_ids) for _ in range(args.runs)]
        cases = {c.pk: c for c in Case.objects.filter(pk__in=sample).select_related("debtor", "portfolio")}
        points = {c.pk: c.debtor.contact_points.first().pk for c in cases.values()}
        when = end.replace(hour=10)

        def service(case_id: int) -> None:
            contact_clear(
                actor=supervisor, case_id=case_id, kind="call", contact_point_id=points[case_id], at=when
            )

        # warm-up (pack loading, query plans)
        for cid in sample[:50]:
            service(cid)
        print("results (one core):")
        ours = summary("service: contact_clear (window)", measure(service, sample))

        pack, _ = inputs.pack_for(cases[sample[0]].portfolio.creditor_id, when)
        window = history_lookback(pack)
        prepared = []
        for cid in sample:
            case = cases[cid]
            facts = inputs.debtor_facts(case)
            request = inputs.contact_request(
                case=case, at=when, kind="call", party="debtor", contact_point_id=points[cid]
            )
            history = inputs.contact_history(debtor_id=case.debtor_id, before=when, since=when - window)
            prepared.append((facts, request, history))
        floor = summary(
            "engine: evaluate (history in memory)", measure(lambda p: evaluate(pack, *p), prepared)
        )

        def read_path(case_id: int, days: float) -> None:
            case = cases[case_id]
            facts = inputs.debtor_facts(case)
            request = inputs.contact_request(
                case=case, at=when, kind="call", party="debtor", contact_point_id=points[case_id]
            )
            history = inputs.contact_history(
                debtor_id=case.debtor_id, before=when, since=when - timedelta(days)
            )
            evaluate(pack, facts, request, history)

        lookback_days = window.total_seconds() / 86400
        read = summary(
            f"read path: facts + {lookback_days:.0f}-day window + evaluate",
            measure(lambda c: read_path(c, lookback_days), sample),
        )
        naive = summary(
            "peer: facts + full-year history + evaluate", measure(lambda c: read_path(c, 366), sample)
        )
        print(
            f"ratio full-year peer / windowed read path (time per decision): {read['per_s'] / naive['per_s']:.2f}×\n"
            f"ratio service (read + store + commit) / engine alone: {floor['per_s'] / ours['per_s']:.0f}×"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--debtors", type=int, default=100_000)
    parser.add_argument("--per-debtor", type=int, default=24)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--pg", default=None, help="postgresql://postgres@127.0.0.1:5432/qz_bench_gate")
    run(parser.parse_args())
