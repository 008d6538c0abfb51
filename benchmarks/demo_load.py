"""How long `qingzhai demo` takes to build the full demo (5,000 debtors, 8,000 debts), against the time
the same database needs to bulk-insert the same number of bare debt rows (the floor any loader pays).

Usage: .venv/bin/python benchmarks/demo_load.py [--pg postgresql://postgres@127.0.0.1:5432/qz_bench_demo]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="", help="PostgreSQL URL (a scratch database; it is recreated)")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="qz-bench-demo-")
    os.environ["QINGZHAI_DATA_DIR"] = data_dir
    os.environ["QINGZHAI_ALLOW_GENERATED_SECRETS"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "qingzhai.config.settings"
    if args.pg:
        os.environ["DATABASE_URL"] = args.pg
        _recreate_pg(args.pg)
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from qingzhai.portfolio import demo

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    result = demo.demo_load(actor="benchmark", size="full")
    ours = time.perf_counter() - started
    rows = result.counts.get("debts", 8000)

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_floor (id integer primary key, contract_no varchar(64), principal bigint)"
        )
        started = time.perf_counter()
        cursor.executemany(
            "INSERT INTO bench_floor (id, contract_no, principal) VALUES (%s, %s, %s)",
            [(i, f"HT{i:08d}", 100_000 + i) for i in range(rows)],
        )
        floor = time.perf_counter() - started
    print(f"database: {connection.vendor}")
    print(f"qingzhai demo (full: {result.counts}): {ours:.2f} s")
    print(f"peer: bare executemany of {rows} debt rows: {floor:.3f} s")
    print(f"ratio (demo / bare insert): {ours / floor:.1f}x")
    print(f"phase timings: {result.timings}")


def _recreate_pg(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
