"""Debtor indicators at portfolio scale: `compute` over 100,000 debtors and 5,000,000 transactions.

Measured: the wall time of `qingzhai.profiling.indicators.compute` for every catalogue indicator, over a
synthetic portfolio (default 100,000 debtors, 5,000,000 transactions, and per debtor on average 1.2 debts,
2 payments, 1 promise, 8 activities, 2 contacts, plus property, vehicle, business, court, marriage,
contribution and declared-income records; some debtors lack some purposes and sources), and the peak
resident memory during it (VmHWM from /proc/self/status, reset after synthesis through
/proc/self/clear_refs where the kernel allows, else ru_maxrss including synthesis).

Peer: pandas 2.2.3 (in its own virtual environment, var/bench-pandas; the product never imports pandas)
computes, with the idiomatic vectorised `groupby(...).sum()` / `nunique()`, the same subset of transaction
indicators from the same rows (`PEER_CODES`: income totals, monthly averages and months with income, net
spending with refund matching, cash-flow net for all five windows; luxury, travel and entertainment
spending, credit-funded spending, night-time purchases, credit drawn and repaid). We time our `compute`
for that subset too, check both give the same numbers, and print the ratio. Loading the rows is not
timed on either side.

    .venv/bin/python benchmarks/profiling_indicators.py [--debtors 100000] [--txns 5000000] [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import venv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qingzhai.profiling import frames as fr  # noqa: E402
from qingzhai.profiling import indicators  # noqa: E402

PEER_VENV = ROOT / "var" / "bench-pandas"
PEER_PACKAGES = ("pandas==2.2.3", "pyarrow==18.1.0")
AS_OF = date(2025, 6, 15)
W = (3, 6, 12, 24, 36)
PEER_CODES = (
    [f"inc_total_{w}m" for w in W]
    + [f"inc_avg_monthly_{w}m" for w in W]
    + [f"inc_months_with_income_{w}m" for w in W]
    + [f"cons_net_{w}m" for w in W]
    + [f"cf_net_{w}m" for w in W]
    + ["cons_luxury_12m", "cons_luxury_36m", "cons_travel_12m", "cons_travel_36m"]
    + ["cons_entertainment_12m", "cons_entertainment_36m", "cons_credit_funded_12m", "cons_night_count_12m"]
    + ["liab_credit_repay_3m", "liab_credit_repay_12m", "liab_credit_repay_36m"]
    + ["liab_credit_draw_3m", "liab_credit_draw_12m", "liab_credit_draw_36m"]
)

# fmt: off
COUNTERPARTIES = [f"商户{i}" for i in range(1500)] + [
    "上海某某科技有限公司", "携程旅行网", "周大福珠宝", "星光KTV", "体彩中心", "招商银行信用卡中心", "蚂蚁借呗",
    "余额宝", "王小红", "青松贸易有限公司",
]
CATEGORIES = ["餐饮美食", "日用百货", "交通出行", "酒店旅游", "文化休闲", "转账红包", "工资", "信用借还", "其他"]
CHANNELS = ["余额", "花呗", "招商银行(1234)", "白条", "零钱", "美团月付", "中国银行(5678)", "信用卡(9012)"]
MEMOS = ["", "外卖订单", "代发工资", "机票", "奢侈品专柜", "游戏充值", "ATM取现", "理财申购"]
SOURCES = ["alipay", "wechat", "jd", "bank:icbc-debit"]
NATURES = {  # nature -> (direction, share of rows)
    "spending": ("out", 0.64), "income": ("in", 0.12), "refund": ("neutral", 0.03),
    "own_transfer": ("neutral", 0.06), "investment": ("neutral", 0.03), "credit_repay": ("neutral", 0.05),
    "credit_draw": ("neutral", 0.03), "failed": ("neutral", 0.02), "closed": ("neutral", 0.02),
}
# fmt: on


def pick(rng: np.random.Generator, pool: list[str], n: int) -> pl.Series:
    return pl.Series(pool, dtype=pl.Utf8).gather(rng.integers(0, len(pool), n))


def dates(rng: np.random.Generator, n: int, months: int = 40) -> np.ndarray:
    start = np.datetime64(AS_OF) - np.timedelta64(months * 30, "D")
    return start + rng.integers(0, months * 30 + 20, n).astype("timedelta64[D]")


def synth_txns(rng: np.random.Generator, n_debtors: int, n: int) -> pl.DataFrame:
    debtor = rng.integers(0, int(n_debtors * 0.95), n)  # the last 5% have no statements
    seconds = rng.integers(0, 40 * 30 * 86400 + 20 * 86400, n)
    time = np.datetime64(datetime.combine(AS_OF, datetime.min.time())) - np.timedelta64(40 * 30 * 86400, "s")
    times = time + seconds.astype("timedelta64[s]")
    names = list(NATURES)
    nature_idx = rng.choice(len(names), n, p=[NATURES[k][1] for k in names])
    nature = pl.Series(names).gather(nature_idx)
    direction = pl.Series([NATURES[k][0] for k in names]).gather(nature_idx)
    amount = np.maximum(rng.lognormal(9.0, 1.3, n).astype(np.int64), 1)
    refunded = np.where((nature_idx == 0) & (rng.random(n) < 0.04), amount // 3, 0)
    # fmt: off
    frame = pl.DataFrame({
        "debtor_id": debtor, "source_id": debtor * 4 + rng.integers(0, 4, n), "row": np.arange(n),
        "source": pick(rng, SOURCES, n), "time": times.astype("datetime64[us]"), "amount_fen": amount,
        "currency": pl.Series(["CNY", "USD"]).gather((rng.random(n) < 0.005).astype(np.int64)),
        "direction": direction, "nature": nature, "counterparty": pick(rng, COUNTERPARTIES, n),
        "category": pick(rng, CATEGORIES, n), "channel": pick(rng, CHANNELS, n), "memo": pick(rng, MEMOS, n),
        "status": pick(rng, ["交易成功"], n), "ref": pl.Series(np.arange(n)).cast(pl.Utf8),
        "refund_of": pick(rng, [""], n), "refunded_fen": refunded,
    })
    # fmt: on
    # refund rows point at a random spending row: same debtor and source, half its amount, days later
    spending = np.flatnonzero(nature_idx == 0)
    refund_rows = np.flatnonzero(nature_idx == 2)
    target = spending[rng.integers(0, len(spending), len(refund_rows))]
    later, half = (
        (pl.col("time") + pl.duration(days=3)).alias("time"),
        (pl.col("amount_fen") // 2).alias("amount_fen"),
    )
    fix = frame[target].select("debtor_id", "source", later, half, pl.col("ref").alias("refund_of"))
    frame = frame.with_row_index("__i")
    fix = fix.with_columns(__i=pl.Series(refund_rows, dtype=pl.UInt32))
    frame = frame.update(fix, on="__i").drop("__i")
    return frame.select([pl.col(k).cast(v) for k, v in fr.TXNS.items()])


PERIODS = [
    f"{(AS_OF.year * 12 + AS_OF.month - 1 - m) // 12}-{(AS_OF.year * 12 + AS_OF.month - 1 - m) % 12 + 1:02d}"
    for m in range(36)
]
COMPANIES = ["青松贸易有限公司", "上海某某科技有限公司", "远山实业有限公司"]
# Each frame: rows per debtor (None: exactly one row per debtor), then (column, generator, argument).
# Generators: pick (from a pool), int [lo, hi), date (within the last N months), time (a daytime datetime
# within N months), bool (probability), float [lo, hi), seq (the row number as text).
# fmt: off
SPECS: dict[str, tuple[float | None, list[tuple[str, str, object]]]] = {
    "debtors": (None, [
        ("kind", "pick", ["person"] * 19 + ["enterprise"]), ("name", "pick", ["李小明", "王芳"]),
        ("has_id_number", "bool", 0.9), ("has_home_address", "bool", 0.7), ("has_work_address", "bool", 0.4),
        ("employer", "pick", ["", COMPANIES[1]]), ("created_on", "date", 24), ("age", "int", (20, 70)),
        ("bankrupt", "bool", 0.01), ("deceased", "bool", 0.005), ("hardship", "bool", 0.05),
        ("lawyer_represented", "bool", 0.03), ("unreachable", "bool", 0.1)]),
    "debts": (1.2, [
        ("debt_id", "int", (0, 10**9)), ("original_principal_fen", "int", (100_000, 20_000_000)),
        ("principal_fen", "int", (0, 10_000_000)), ("outstanding_fen", "int", (0, 12_000_000)),
        ("contract_date", "date", 60), ("due_date", "date", 30), ("overdue_since", "date", 30), ("dpd", "int", (0, 900)),
        ("status", "pick", ["open", "open", "settled", "written_off"]), ("product", "pick", ["消费贷", "信用卡", "车贷"])]),
    "payments": (2.0, [
        ("paid_on", "date", 36), ("amount_fen", "int", (10_000, 2_000_000)), ("reversed", "bool", 0.03),
        ("method", "pick", ["bank_transfer", "alipay"])]),
    "promises": (1.0, [
        ("created_on", "date", 36), ("due_date", "date", 35), ("amount_fen", "int", (10_000, 2_000_000)),
        ("paid_fen", "int", (0, 10_000)), ("status", "pick", ["open", "kept", "broken", "cancelled"])]),
    "activities": (8.0, [
        ("occurred_at", "time", 24), ("kind", "pick", ["call", "call", "bot_call", "sms", "letter", "visit", "note"]),
        ("party", "pick", ["debtor", "debtor", "debtor", "emergency", "third_party"]),
        ("outcome", "pick", ["no_answer", "no_answer", "connected", "promise", "refused", "paid", "dispute", "wrong_number"]),
        ("duration_seconds", "int", (0, 600))]),
    "contacts": (2.0, [
        ("party", "pick", ["debtor", "emergency"]), ("relation", "pick", ["self", "parent", "friend"]),
        ("status", "pick", ["valid", "valid", "wrong_number", "refused"]), ("consent", "bool", 0.5),
        ("is_primary", "bool", 0.5)]),
    "disputes": (0.05, [("opened_on", "date", 24), ("resolved_on", "date", 12)]),
    "property": (0.4, [
        ("property_id", "int", (0, 50_000)), ("owner", "pick", ["本人", "王小红"]),
        ("owner_relation", "pick", ["self", "self", "spouse", "relative", "company"]),
        ("event", "pick", ["holding", "acquisition", "transfer", "mortgage", "seizure"]), ("event_date", "date", 60),
        ("reference_value_fen", "int", (10**7, 5 * 10**8)), ("mortgage_fen", "int", (0, 2 * 10**8)),
        ("transferee_relation", "pick", ["spouse", "relative", "stranger", "related_company"]),
        ("price_fen", "int", (10**6, 5 * 10**8))]),
    "vehicle": (0.4, [
        ("plate", "int", (0, 50_000)), ("owner", "pick", ["本人", "王小红"]),
        ("owner_relation", "pick", ["self", "self", "spouse", "relative"]),
        ("event", "pick", ["holding", "acquisition", "transfer", "mortgage", "seizure"]), ("event_date", "date", 60),
        ("reference_value_fen", "int", (10**6, 5 * 10**7)),
        ("transferee_relation", "pick", ["spouse", "relative", "stranger"]), ("price_fen", "int", (10**5, 5 * 10**7))]),
    "business": (0.3, [
        ("company", "pick", COMPANIES), ("status", "pick", ["active", "active", "revoked", "cancelled"]),
        ("registered_capital_fen", "int", (10**6, 10**9)), ("paid_in_capital_fen", "int", (0, 10**7)),
        ("established_on", "date", 120), ("role", "pick", ["legal_representative", "shareholder", "director"]),
        ("stake_pct", "float", (0, 100)), ("change_type", "pick", ["", "", "shareholder", "capital"]),
        ("change_date", "date", 40), ("as_of", "date", 40)]),
    "court": (0.5, [
        ("record_type", "pick", ["suit", "enforcement", "dishonest", "consumption_restriction", "judgment"]),
        ("case_no", "seq", None), ("court", "pick", ["浦东法院", "黄浦法院", "徐汇法院"]),
        ("role", "pick", ["defendant", "respondent", "plaintiff", "applicant"]), ("amount_fen", "int", (10**5, 5 * 10**7)),
        ("filed_on", "date", 60), ("status", "pick", ["open", "closed", "terminated"]),
        ("outstanding_fen", "int", (0, 10**7))]),
    "marriage": (0.2, [
        ("event", "pick", ["marriage", "divorce"]), ("event_date", "date", 120),
        ("spouse", "pick", ["王小红", "李梅", "张伟"]), ("agreement_note", "pick", ["", "房产归女方"])]),
    "contribution": (4.0, [
        ("scheme", "pick", ["tax", "social_insurance", "housing_fund"]), ("period", "pick", PERIODS),
        ("employer", "pick", COMPANIES[1:]), ("base_fen", "int", (500_000, 3_000_000)),
        ("amount_fen", "int", (50_000, 300_000)), ("status", "pick", ["paid", "paid", "paid", "arrears"])]),
    "declared_income": (0.5, [
        ("declared_on", "date", 40), ("monthly_income_fen", "int", (300_000, 3_000_000)),
        ("source", "pick", ["loan_application", "interview"]), ("dependants", "int", (0, 4))]),
}
# fmt: on
CASE = ("debtors", "debts", "payments", "promises", "activities", "contacts", "disputes")
SCHEMAS = {name: getattr(fr, name.upper()) for name in CASE}


def column(rng: np.random.Generator, n: int, kind: str, arg: Any) -> Any:
    if kind == "pick":
        return pick(rng, arg, n)
    if kind == "int":
        return rng.integers(arg[0], arg[1], n)
    if kind == "float":
        return rng.uniform(arg[0], arg[1], n)
    if kind == "bool":
        return rng.random(n) < arg
    if kind == "date":
        return dates(rng, n, arg)
    if kind == "time":
        day = dates(rng, n, arg).astype("datetime64[s]")
        return (day + rng.integers(8 * 3600, 20 * 3600, n).astype("timedelta64[s]")).astype("datetime64[us]")
    return pl.Series(np.arange(n)).cast(pl.Utf8)  # seq


def synth_table(rng: np.random.Generator, n_debtors: int, name: str) -> pl.DataFrame:
    per, spec = SPECS[name]
    n = n_debtors if per is None else int(n_debtors * per)
    ids = np.arange(n_debtors) if per is None else rng.integers(0, n_debtors, n)
    cols: dict[str, Any] = {"debtor_id": ids, "source_id": np.zeros(n, dtype=np.int64), "row": np.arange(n)}
    cols.update({col: column(rng, n, kind, arg) for col, kind, arg in spec})
    schema = SCHEMAS.get(name) or fr.record_schema(name)
    frame = pl.DataFrame(cols)
    return frame.select(
        [
            pl.col(k).cast(v) if k in frame.columns else pl.lit(None, dtype=v).alias(k)
            for k, v in schema.items()
        ]
    )


def synthesise(n_debtors: int, n_txns: int, seed: int = 7) -> fr.Frames:
    rng = np.random.default_rng(seed)
    case = {name: synth_table(rng, n_debtors, name) for name in SCHEMAS}
    records = {name: synth_table(rng, n_debtors, name) for name in SPECS if name not in SCHEMAS}
    txns = synth_txns(rng, n_debtors, n_txns)
    # purposes: everyone has collection; 90% a contract (capacity, contact); 60% a court order or public
    # record (assets, litigation). Sources seen: statements for those with rows; records for 70%.
    contract, order = {"capacity_assessment", "contact"}, {"asset_investigation", "litigation"}
    r = rng.random((n_debtors, 2)) < (0.9, 0.6)
    purposes = {
        i: frozenset({"collection"} | (contract if a else set()) | (order if b else set()))
        for i, (a, b) in enumerate(r)
    }
    with_txns = set(txns["debtor_id"].unique().to_list())
    kinds = list(records)
    seen_mask = rng.random((n_debtors, len(kinds))) < 0.7
    sources_seen = {
        i: frozenset(
            {k for k, m in zip(kinds, row, strict=True) if m} | ({"txns"} if i in with_txns else set())
        )
        for i, row in enumerate(seen_mask)
    }
    return fr.Frames(
        as_of=AS_OF, txns=txns, records=records, purposes=purposes, sources_seen=sources_seen, **case
    )


PEER = r"""
import json, re, resource, sys, time
import numpy as np
import pandas as pd
args = json.load(sys.stdin)
W = (3, 6, 12, 24, 36)
df = pd.read_parquet(args["txns"])
ids = pd.read_parquet(args["ids"])["debtor_id"]
t0 = time.perf_counter()
y, m, d = args["as_of"]
df = df[df["debtor_id"].isin(ids) & (df["time"] < pd.Timestamp(y, m, d) + pd.Timedelta(days=1))]
m_ago = (y * 12 + m) - (df["time"].dt.year * 12 + df["time"].dt.month)
cny = df["currency"].fillna("CNY").isin(["CNY", ""])
inc = cny & (df["direction"] == "in")
out = cny & (df["direction"] == "out")
ref = df["ref"].fillna("")
refund_of = df["refund_of"].fillna("")
refunds = (
    df[cny & (df["nature"] == "refund") & (refund_of != "")]
    .groupby(["debtor_id", "source", "refund_of"], sort=False)["amount_fen"].sum()
    .rename("linked").reset_index().rename(columns={"refund_of": "ref"})
)
keys = pd.DataFrame({"debtor_id": df["debtor_id"].values, "source": df["source"].values, "ref": ref.values})
linked = keys.merge(refunds, on=["debtor_id", "source", "ref"], how="left")["linked"].fillna(0).values
amount = df["amount_fen"].values
net = np.where(out.values, np.clip(amount - df["refunded_fen"].fillna(0).values - linked, 0, None), 0)
text = df["category"].fillna("") + " " + df["memo"].fillna("") + " " + df["counterparty"].fillna("")
flag = {k: out.values & text.str.contains(p, regex=True).values for k, p in args["patterns"].items()}
credit = out.values & df["channel"].fillna("").str.contains(args["credit"], regex=True).values
hour = df["time"].dt.hour.values
night = out.values & ((hour >= 22) | (hour < 6))
crepay = (cny & (df["nature"] == "credit_repay")).values
cdraw = (cny & (df["nature"] == "credit_draw")).values
mv = m_ago.values
cols = {"debtor_id": df["debtor_id"].values}
for w in W:
    inw = mv < w
    cols[f"inc_total_{w}m"] = np.where(inc.values & inw, amount, 0)
    cols[f"cons_net_{w}m"] = np.where(inw, net, 0)
for w in (12, 36):
    for k, name in (("lux", "luxury"), ("travel", "travel"), ("ent", "entertainment")):
        cols[f"cons_{name}_{w}m"] = np.where(flag[k] & (mv < w), net, 0)
cols["cons_credit_funded_12m"] = np.where(credit & (mv < 12), net, 0)
cols["cons_night_count_12m"] = (night & (mv < 12)).astype(np.int64)
for w in (3, 12, 36):
    cols[f"liab_credit_repay_{w}m"] = np.where(crepay & (mv < w), amount, 0)
    cols[f"liab_credit_draw_{w}m"] = np.where(cdraw & (mv < w), amount, 0)
res = pd.DataFrame(cols).groupby("debtor_id", sort=False).sum()
months = pd.DataFrame({"debtor_id": df["debtor_id"].values[inc.values], "m": mv[inc.values]}).drop_duplicates()
for w in W:
    res[f"inc_months_with_income_{w}m"] = months[months["m"] < w].groupby("debtor_id").size().reindex(res.index, fill_value=0)
    res[f"inc_avg_monthly_{w}m"] = res[f"inc_total_{w}m"] // w
    res[f"cf_net_{w}m"] = res[f"inc_total_{w}m"] - res[f"cons_net_{w}m"]
elapsed = time.perf_counter() - t0
res.reset_index().to_parquet(args["out"])
print(json.dumps({"seconds": elapsed, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def peer_python() -> Path:
    """The benchmark-only environment holding pandas (created on first use)."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        venv.create(PEER_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return python


def reset_peak() -> bool:
    """Reset the RSS high-water mark (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--debtors", type=int, default=100_000)
    parser.add_argument("--txns", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    from qingzhai.profiling.indicators import helpers

    t0 = time.perf_counter()
    frames = synthesise(args.debtors, args.txns, args.seed)
    synth_s = time.perf_counter() - t0
    n_rec = sum(f.height for f in frames.records.values())
    n_case = sum(
        getattr(frames, k).height for k in ("debts", "payments", "promises", "activities", "contacts")
    )
    print(
        f"portfolio: {args.debtors:,} debtors, {frames.txns.height:,} transactions, {n_rec:,} records, "
        f"{n_case:,} case rows (synthesised in {synth_s:.1f} s); as of {AS_OF}; {os.cpu_count()} CPUs; "
        f"polars {pl.__version__}"
    )
    base_mib = peak_mib()
    exact = reset_peak()
    t0 = time.perf_counter()
    result = indicators.compute(frames)
    all_s = time.perf_counter() - t0
    hwm = peak_mib()
    n_codes = len(result.codes)
    print(
        f"  ours  all {n_codes} indicators: {all_s:.1f} s ({args.debtors / all_s:,.0f} debtors/s); "
        f"peak RSS {hwm:,.0f} MiB ({'during compute' if exact else 'whole process'}; "
        f"{base_mib:,.0f} MiB after synthesis)"
    )
    nulls = result.values.null_count().row(0)
    print(f"  ours  values: {result.values.height:,} rows x {n_codes} columns, {sum(nulls):,} missing cells")
    t0 = time.perf_counter()
    subset = indicators.compute(frames, codes=PEER_CODES)
    sub_s = time.perf_counter() - t0
    print(f"  ours  peer subset ({len(PEER_CODES)} transaction indicators): {sub_s:.2f} s")
    if args.no_peer:
        return
    with tempfile.TemporaryDirectory(prefix="qz-bench-ind-") as tmp:
        txns_path, ids_path, out_path = (
            str(Path(tmp) / n) for n in ("txns.parquet", "ids.parquet", "out.parquet")
        )
        frames.txns.write_parquet(txns_path)
        allowed = [d for d, ps in frames.purposes.items() if "capacity_assessment" in ps]
        with_txns = [d for d, ks in frames.sources_seen.items() if "txns" in ks]
        pl.DataFrame(
            {"debtor_id": sorted(set(allowed) & set(with_txns))}, schema={"debtor_id": pl.Int64}
        ).write_parquet(ids_path)
        del frames
        payload = {
            "txns": txns_path,
            "ids": ids_path,
            "out": out_path,
            "as_of": [AS_OF.year, AS_OF.month, AS_OF.day],
            "patterns": {"lux": helpers.LUXURY, "travel": helpers.TRAVEL, "ent": helpers.ENTERTAINMENT},
            "credit": helpers.CREDIT_CHANNEL,
        }
        proc = subprocess.run(
            [str(peer_python()), "-c", PEER],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            check=True,
        )
        peer = json.loads(proc.stdout)
        theirs = pl.read_parquet(out_path).select("debtor_id", *PEER_CODES).sort("debtor_id")
    ours = subset.values.drop_nulls(PEER_CODES[0]).select("debtor_id", *PEER_CODES).sort("debtor_id")
    mine = ours.filter(pl.col("debtor_id").is_in(theirs["debtor_id"].implode()))
    same = mine.height == theirs.height and mine.cast(dict.fromkeys(PEER_CODES, pl.Int64)).equals(
        theirs.cast(dict.fromkeys(PEER_CODES, pl.Int64))
    )
    print(
        f"  peer  pandas 2.2.3 groupby, same subset: {peer['seconds']:.2f} s; peak RSS {peer['peak_mib']:,.0f} MiB"
    )
    print(f"  ratio peer/ours (subset): {peer['seconds'] / sub_s:.1f}x; results identical: {same}")
    if not same:
        raise SystemExit("pandas and we disagree on the subset")


if __name__ == "__main__":
    main()
