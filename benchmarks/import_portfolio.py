"""Import 100,000 debt rows from CSV into SQLite and PostgreSQL; rows/s and the ratio to a bare load.

    python benchmarks/import_portfolio.py [--rows 100000] [--pg postgresql://postgres@127.0.0.1:5432/qz_bench]
                                          [--only sqlite|postgresql] [--profile DIR]

The peer is the cheapest way to put the same rows into a plain table of text columns: executemany in one
transaction (SQLite) and COPY (PostgreSQL), both reading the same CSV file. Each database is set up from
scratch (a temporary QINGZHAI_DATA_DIR, `migrate`); the PostgreSQL database named in the URL is dropped
and created again, so point it at a throw-away one. Uses DATABASE_URL when it names PostgreSQL.
With --profile, the first import of each database also runs under cProfile and its statistics are written
to DIR/<database>.prof (read them with `python -m pstats`); its timings are then not comparable.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/qz_bench"

HEADER = [
    "合同编号", "债务人姓名", "证件号码", "手机号码", "家庭住址", "工作单位", "产品名称", "合同金额", "剩余本金",
    "利息", "罚息", "费用", "合同日期", "年利率", "到期日", "逾期开始日期", "紧急联系人", "紧急联系人关系",
    "紧急联系人电话", "紧急联系人同意联系", "开户银行", "银行账号", "担保人", "担保人证件号码",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
]
PRODUCTS = ["信用卡", "消费贷", "现金贷", "车贷", "经营贷"]


def generate(path: Path, rows: int) -> None:
    """`rows` valid rows; about one debtor in five has two contracts."""
    sys.path.insert(0, str(ROOT / "src"))
    from qingzhai.core.validators import prc_id_check_digit

    debtors = max(rows * 4 // 5, 1)
    today = date(2026, 11, 28)

    def prc(n: int) -> str:
        born = date(1960, 1, 1) + timedelta(days=(n // 1000) * 3)
        first17 = f"{110101 + n % 9:06d}{born:%Y%m%d}{n % 1000:03d}"
        return first17 + prc_id_check_digit(first17)

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            d = i % debtors
            principal = 1000 + (i * 7919) % 200_000
            overdue = today - timedelta(days=1 + (i * 37) % 400)
            writer.writerow(
                [
                    f"HT{i:08d}",
                    SURNAMES[d % len(SURNAMES)] + GIVEN[d % len(GIVEN)],
                    prc(d),
                    f"13{d % 10}{d:08d}"[:11],
                    f"北京市朝阳区建国路{d % 300}号{d % 20}单元{d % 30 + 100}",
                    "北京某某科技有限公司" if d % 3 == 0 else "",
                    PRODUCTS[i % len(PRODUCTS)],
                    f"{principal * 1.2:,.2f}",
                    f"¥{principal:,}.{i % 100:02d}",
                    f"{principal * 0.05:.2f}",
                    f"{(i % 50) * 3}.5",
                    "0",
                    f"{overdue.year - 2}年{overdue.month}月{min(overdue.day, 28)}日",
                    f"{12 + i % 12}%",
                    (overdue - timedelta(days=30)).isoformat(),
                    overdue.strftime("%Y/%m/%d"),
                    "李四" if i % 2 else "",
                    "配偶" if i % 2 else "",
                    f"159{d:08d}"[:11] if i % 2 else "",
                    "是" if i % 4 == 1 else "",
                    "工商银行",
                    f"6222{d:012d}",
                    "赵六" if i % 10 == 0 else "",
                    prc(d + 5_000_000) if i % 10 == 0 else "",
                ]
            )


# --- the measured runs, one process per database (Django is set up once per process) ---------------


def child(backend: str, csv_path: Path, url: str, data_dir: Path, profile_dir: Path | None = None) -> dict:
    os.environ["QINGZHAI_DATA_DIR"] = str(data_dir)
    os.environ["QINGZHAI_ALLOW_GENERATED_SECRETS"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingzhai.config.settings"
    os.environ.pop("CELERY_BROKER_URL", None)
    if backend == "postgresql":
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from qingzhai.core.models import AuditEvent
    from qingzhai.portfolio.intake import ImportOptions, import_file
    from qingzhai.portfolio.models import Case, Creditor, Debt, Debtor

    call_command("migrate", interactive=False, verbosity=0)
    creditor = Creditor.objects.create(name="基准银行", code="BENCH")
    rows = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1

    profiler = None
    if profile_dir is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    result = import_file(
        actor="bench", path=csv_path, options=ImportOptions(creditor=creditor, portfolio_code="B1")
    )
    ours = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(Path(profile_dir or ".") / f"{backend}.prof"))
    assert result.error_count == 0 and result.imported == rows, result.as_json()

    started = time.perf_counter()
    again = import_file(
        actor="bench", path=csv_path, options=ImportOptions(creditor=creditor, portfolio_code="B1")
    )
    reimport = time.perf_counter() - started
    assert again.unchanged == rows, again.as_json()

    if backend == "sqlite":
        bare = _bare_sqlite(csv_path, data_dir / "bare.sqlite3")
    else:
        bare = _bare_copy(csv_path, connection)
    return {
        "backend": backend,
        "rows": rows,
        "seconds": round(ours, 2),
        "rows_per_s": round(rows / ours),
        "reimport_seconds": round(reimport, 2),
        "bare_seconds": round(bare, 3),
        "bare_rows_per_s": round(rows / bare),
        "ratio": round(ours / bare, 1),
        "debtors": Debtor.objects.count(),
        "cases": Case.objects.count(),
        "debts": Debt.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _bare_sqlite(csv_path: Path, db_path: Path) -> float:
    import sqlite3

    columns = ", ".join(f"c{i} TEXT" for i in range(len(HEADER)))
    marks = ", ".join("?" for _ in HEADER)
    started = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"CREATE TABLE plain ({columns})")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        with db:
            db.executemany(f"INSERT INTO plain VALUES ({marks})", reader)
    db.close()
    return time.perf_counter() - started


def _bare_copy(csv_path: Path, connection) -> float:
    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE plain ({columns})")
        raw = cursor.cursor
        with csv_path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            with raw.copy("COPY plain FROM STDIN") as copy:
                for row in reader:
                    copy.write_row(row)
    return time.perf_counter() - started


def _recreate_pg(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default="")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--profile", type=Path, help="write cProfile statistics of each import to this folder"
    )
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    env_url = os.environ.get("DATABASE_URL", "")
    pg_url = args.pg or (env_url if env_url.startswith("postgres") else DEFAULT_PG)

    if args.child:
        print(json.dumps(child(args.child, args.csv, pg_url, args.data_dir, args.profile)))
        return

    with tempfile.TemporaryDirectory(prefix="qz-bench-") as tmp:
        work = Path(tmp)
        csv_path = work / "portfolio.csv"
        started = time.perf_counter()
        generate(csv_path, args.rows)
        print(
            f"generated {args.rows:,} rows, {csv_path.stat().st_size / 1048576:.1f} MB, "
            f"in {time.perf_counter() - started:.1f} s"
        )
        results = []
        for backend in ("sqlite", "postgresql"):
            if args.only and backend != args.only:
                continue
            if backend == "postgresql":
                try:
                    _recreate_pg(pg_url)
                except Exception as exc:  # no server: report and go on
                    print(f"postgresql: skipped ({exc.__class__.__name__}: {exc})")
                    continue
            data_dir = work / backend
            data_dir.mkdir()
            profile = ["--profile", str(args.profile.resolve())] if args.profile else []
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
            proc = subprocess.run(
                [sys.executable, __file__, "--child", backend, "--csv", str(csv_path), "--data-dir", str(data_dir),
                 "--pg", pg_url, *profile],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )  # fmt: skip
            if proc.returncode != 0:
                print(f"{backend}: failed\n{proc.stderr[-4000:]}")
                continue
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print()
        print(f"{'database':<11} {'rows':>8} {'ours s':>8} {'rows/s':>8} {'re-import s':>11} {'peer':<13} "
              f"{'peer s':>7} {'peer rows/s':>11} {'ratio':>6} {'RSS MB':>7}")  # fmt: skip
        for r in results:
            peer = "executemany" if r["backend"] == "sqlite" else "COPY"
            print(
                f"{r['backend']:<11} {r['rows']:>8,} {r['seconds']:>8} {r['rows_per_s']:>8,} "
                f"{r['reimport_seconds']:>11} {peer:<13} {r['bare_seconds']:>7} {r['bare_rows_per_s']:>11,} "
                f"{r['ratio']:>5}x {r['max_rss_mb']:>7}"
            )
        for r in results:
            print(
                f"{r['backend']}: {r['debtors']:,} debtors, {r['cases']:,} cases, {r['debts']:,} debts, "
                f"{r['audit_events']:,} audit events"
            )


if __name__ == "__main__":
    main()
