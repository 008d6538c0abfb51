"""Parsing an Alipay bill of 1,000,000 rows: rows per second, against polars.read_csv of the same file.

Ours: `reading.load` (decode, split into rows) + the Alipay parser (header found by content, every row
typed: time, amount in fen, direction and nature classified, refunds linked) into normalised `Txn`s.
Peer: `polars.read_csv` of the same bytes with the preamble skipped, every column read as text (it does no
typing, classification or error reporting; it is the floor for "reading the CSV"). Both read UTF-8 (polars
cannot decode GBK); ours is also timed on the GBK bytes real exports use.

    .venv/bin/python benchmarks/profiling_parse.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import io
import time

import polars as pl

from qingzhai.profiling.sources import reading, registry
from qingzhai.profiling.sources.base import ParseContext
from qingzhai.profiling.synthetic import alipay_file, random_rows


def ours(data: bytes) -> tuple[float, int]:
    started = time.perf_counter()
    book = reading.load(data, "alipay.csv")
    result = registry.get("alipay").parse(book, ParseContext(owner_names=("张三",)))
    elapsed = time.perf_counter() - started
    assert not result.errors, result.errors[:3]
    return elapsed, len(result.txns)


def peer(data: bytes) -> tuple[float, int]:
    started = time.perf_counter()
    frame = pl.read_csv(io.BytesIO(data), skip_rows=24, infer_schema=False, truncate_ragged_lines=True)
    elapsed = time.perf_counter() - started
    return elapsed, frame.height


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rows = list(random_rows(args.rows))
    utf8 = alipay_file("张三", rows, encoding="utf-8")
    gbk = alipay_file("张三", rows, encoding="gb18030")
    print(f"file: {args.rows:,} rows, {len(utf8) / 1e6:.1f} MB UTF-8, {len(gbk) / 1e6:.1f} MB GBK")
    peer_s, peer_n = peer(utf8)
    ours_s, ours_n = ours(utf8)
    gbk_s, gbk_n = ours(gbk)
    assert peer_n == ours_n == gbk_n == args.rows, (peer_n, ours_n, gbk_n)
    print(f"peer  polars.read_csv (UTF-8, text only): {peer_s:7.2f} s  {peer_n / peer_s:12,.0f} rows/s")
    print(f"ours  load + Alipay parser (UTF-8):       {ours_s:7.2f} s  {ours_n / ours_s:12,.0f} rows/s")
    print(f"ours  load + Alipay parser (GBK):         {gbk_s:7.2f} s  {gbk_n / gbk_s:12,.0f} rows/s")
    print(f"ratio ours/peer (rows/s, UTF-8): {peer_s / ours_s:.3f}x  (peer is {ours_s / peer_s:.1f}x faster)")


if __name__ == "__main__":
    main()
