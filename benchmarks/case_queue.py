"""Queue page and case page with 100,000 cases, through the Django test client.

Builds a fresh SQLite database in a temporary QINGZHAI_DATA_DIR (bulk inserts), then measures the median
and p95 of: the collector's queue (their 2,000 cases), a supervisor's queue (all 100,000), a supervisor's
exact search by phone (blind index), the case page, and, as the peer, a view that renders an empty
template behind the same middleware and login. Prints each page's ratio to the peer and its query count.

    .venv/bin/python benchmarks/case_queue.py [--cases 100000] [--runs 200]
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
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

COLLECTORS = 50


def configure(data_dir: Path) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["QINGZHAI_DATA_DIR"] = str(data_dir)
    os.environ["QINGZHAI_ALLOW_GENERATED_SECRETS"] = "1"
    os.environ["QINGZHAI_REQUIRE_2FA"] = "0"
    os.environ["QINGZHAI_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingzhai.config.settings"
    import django

    django.setup()


def prc_id(i: int) -> str:
    from qingzhai.core.validators import prc_id_check_digit

    born = date(1960, 1, 1) + timedelta(days=i // 500)
    first17 = f"310104{born:%Y%m%d}{i % 500:03d}"
    return first17 + prc_id_check_digit(first17)


def phone(i: int) -> str:
    return f"13{i:09d}"


def build(n_cases: int) -> dict:
    """Reference data, users and n_cases cases (one debtor, one debt and one phone each)."""
    from django.core.management import call_command
    from django.db import transaction

    from qingzhai.accounts.models import User
    from qingzhai.core import pii
    from qingzhai.core.clock import business_today, now
    from qingzhai.portfolio.buckets import bucket_for
    from qingzhai.portfolio.models import (
        Activity,
        Case,
        ContactPoint,
        Creditor,
        Debt,
        Debtor,
        Payment,
        Portfolio,
        PromiseToPay,
    )
    from qingzhai.portfolio.stages import Stage

    call_command("migrate", verbosity=0)
    rng = random.Random(20261128)
    today = business_today()
    moment = now()
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
    started = time.perf_counter()
    with transaction.atomic():
        creditors = [
            Creditor.objects.create(name=name, code=code)
            for name, code in (("华信银行", "HX"), ("安易消费金融", "AY"), ("速借平台", "SJ"))
        ]
        portfolios = [
            Portfolio.objects.create(creditor=c, code=f"{c.code}-2026-01", placement_date=date(2026, 1, 5))
            for c in creditors
        ]
        supervisor = User(username="bench-supervisor", role="supervisor")
        supervisor.set_password("Bench-Password-1")
        supervisor.save()
        collectors = []
        for k in range(COLLECTORS):
            user = User(username=f"bench-c{k:02d}", role="collector")
            user.password = supervisor.password
            collectors.append(user)
        User.objects.bulk_create(collectors)
        collectors = list(User.objects.filter(role="collector").order_by("username"))

        batch = 5000
        stages = [s.value for s in Stage]
        for start in range(0, n_cases, batch):
            stop = min(start + batch, n_cases)
            debtors = []
            for i in range(start, stop):
                d = Debtor(
                    creditor=portfolios[i % 3].creditor,
                    name=rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                )
                pii.set_value(d, "id_number", prc_id(i))
                pii.set_value(d, "home_address", f"上海市徐汇区漕溪北路{i % 900 + 1}号{i % 30 + 1}室")
                debtors.append(d)
            debtors = Debtor.objects.bulk_create(debtors)
            phones = []
            for i, d in zip(range(start, stop), debtors, strict=True):
                cp = ContactPoint(debtor=d, is_primary=True)
                pii.set_value(cp, "value", phone(i))
                phones.append(cp)
            ContactPoint.objects.bulk_create(phones)
            cases, plans = [], []
            for i, d in zip(range(start, stop), debtors, strict=True):
                principal = rng.randrange(2_000_00, 200_000_00)
                interest, penalty, fee = principal // 20, principal // 50, rng.randrange(0, 300_00)
                dpd = rng.randrange(1, 720)
                roll = rng.random()
                next_action = None if roll < 0.3 else today + timedelta(days=rng.randrange(-10, 20))
                cases.append(
                    Case(
                        portfolio=portfolios[i % 3],
                        debtor=d,
                        assigned_to=collectors[i % COLLECTORS],
                        stage=stages[i % 5],
                        next_action_date=next_action,
                        total_balance_fen=principal + interest + penalty + fee,
                        max_dpd=dpd,
                        bucket=bucket_for(dpd),
                    )
                )
                plans.append((principal, interest, penalty, fee, dpd))
            cases = Case.objects.bulk_create(cases)
            debts = [
                Debt(
                    creditor=case.portfolio.creditor,
                    case=case,
                    contract_no=f"BM{i:08d}",
                    product="信用卡",
                    original_principal_fen=p,
                    principal_fen=p,
                    interest_fen=it,
                    penalty_fen=pe,
                    fee_fen=f,
                    overdue_since=today - timedelta(days=dpd),
                    dpd=dpd,
                    dpd_as_of=today,
                    bucket=bucket_for(dpd),
                )
                for i, case, (p, it, pe, f, dpd) in zip(range(start, stop), cases, plans, strict=True)
            ]
            Debt.objects.bulk_create(debts)
            promises = [
                PromiseToPay(
                    case=case,
                    amount_fen=50_000,
                    due_date=today - timedelta(days=rng.randrange(1, 20)),
                    status=PromiseToPay.Status.BROKEN,
                    created_at=moment,
                )
                for case in cases
                if rng.random() < 0.1
            ]
            PromiseToPay.objects.bulk_create(promises)

        # The case the case page shows: a realistic history of 40 contacts, 6 payments, 4 promises.
        target = Case.objects.filter(assigned_to=collectors[0]).order_by("id").first()
        assert target is not None
        debt = target.debts.get()
        Activity.objects.bulk_create(
            Activity(
                case=target,
                kind="call",
                outcome=rng.choice(["no_answer", "connected", "left_message"]),
                actor=collectors[0],
                occurred_at=moment - timedelta(hours=k),
                created_at=moment,
                note="跟进" if k % 3 == 0 else "",
            )
            for k in range(40)
        )
        Payment.objects.bulk_create(
            Payment(
                debt=debt,
                case=target,
                amount_fen=10_000,
                paid_on=today - timedelta(days=k),
                principal_fen=10_000,
                recorded_by=collectors[0],
                recorded_at=moment,
                reference=f"P{k}",
            )
            for k in range(6)
        )
        PromiseToPay.objects.bulk_create(
            PromiseToPay(
                case=target, amount_fen=20_000, due_date=today + timedelta(days=k + 1), created_at=moment
            )
            for k in range(4)
        )
    built = time.perf_counter() - started
    return {
        "supervisor": supervisor,
        "collector": collectors[0],
        "case_id": target.pk,
        "search_phone": phone(n_cases // 2),
        "build_s": built,
    }


def reuse() -> dict:
    from qingzhai.accounts.models import User
    from qingzhai.portfolio.models import Activity, Case

    cases = Case.objects.count()
    return {
        "supervisor": User.objects.get(username="bench-supervisor"),
        "collector": User.objects.get(username="bench-c00"),
        "case_id": Activity.objects.values_list("case_id", flat=True).first(),
        "search_phone": phone(cases // 2),
        "cases": cases,
    }


def empty_view(request):  # type: ignore[no-untyped-def]
    """The peer: the same middleware, session and login, rendering an empty template."""
    from django.http import HttpResponse
    from django.template import engines

    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    return HttpResponse(engines["django"].from_string("").render({}, request))


urlpatterns: list = []


def measure(client, path: str, runs: int, params: dict | None = None) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, queries, status) over `runs` requests after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        client.get(path, params or {})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    queries = len(ctx.captured_queries)  # read now: the next request clears the log
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        client.get(path, params or {})
        times.append((time.perf_counter() - t0) * 1000)
    p95 = statistics.quantiles(times, n=20)[18]
    return statistics.median(times), p95, queries, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument(
        "--reuse", metavar="DIR", help="measure a data directory kept by an earlier --keep run"
    )
    args = parser.parse_args()

    data_dir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="qingzhai-bench-"))
    try:
        configure(data_dir)
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import include, path

        urlpatterns[:] = [path("__empty__/", empty_view), path("", include("qingzhai.config.urls"))]
        if args.reuse:
            data = reuse()
            args.cases = data["cases"]
            print(f"reusing {args.cases:,} cases in {data_dir}")
        else:
            data = build(args.cases)
            print(f"built {args.cases:,} cases in {data['build_s']:.1f} s (SQLite, {data_dir})")

        def client_for(user) -> Client:  # type: ignore[no-untyped-def]
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            return client

        collector, supervisor = client_for(data["collector"]), client_for(data["supervisor"])
        rows = []
        with override_settings(ROOT_URLCONF=__name__):
            peer = measure(collector, "/__empty__/", args.runs)
            rows.append(("empty template (peer)", *peer))
            rows.append(("queue: collector (2,000 cases)", *measure(collector, "/", args.runs)))
            rows.append((f"queue: supervisor ({args.cases:,} cases)", *measure(supervisor, "/", args.runs)))
            rows.append(
                (
                    "queue: supervisor, sorted by balance",
                    *measure(supervisor, "/", args.runs, {"sort": "-balance"}),
                )
            )
            rows.append(
                (
                    "queue: supervisor, exact phone search",
                    *measure(supervisor, "/", args.runs, {"q": data["search_phone"]}),
                )
            )
            rows.append(("case page", *measure(collector, f"/cases/{data['case_id']}/", args.runs)))
        print(f"{'page':42} {'median ms':>10} {'p95 ms':>10} {'x peer':>8} {'queries':>8} {'status':>7}")
        for name, median, p95, queries, status in rows:
            ratio = median / peer[0]
            print(f"{name:42} {median:10.2f} {p95:10.2f} {ratio:8.1f} {queries:8d} {status:7d}")
    finally:
        if args.keep or args.reuse:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
