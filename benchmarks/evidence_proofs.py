"""Evidence ledger at 1,000,000 leaves: inclusion and consistency proof time, against pymerkle 7.0.0's
SQLite backend holding the same leaves, and the time of a full verification of the log.

Ours: proofs are read from the stored complete-subtree nodes (O(log n) hashes, one query), for random
(index, size = n) and random (old, new = n) pairs; each proof is checked against the root. Peer:
pymerkle.SqliteTree.prove_inclusion / prove_consistency on the same leaves (its subroot cache warms as it
goes; we report its mean over the same number of random proofs). Then `verify.run()` over the whole log
(every leaf re-hashed, every stored node recomputed, every checkpoint's signature and root checked).

    .venv/bin/python benchmarks/evidence_proofs.py [--leaves 1000000] [--proofs 2000] [--pg URL]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evidence_common import LEAF_SOURCE, configure, fill_outbox, leaves, run_peer

PEER = (
    LEAF_SOURCE
    + r"""
import json, sys, time, tempfile, os, random
from pymerkle import SqliteTree
args = json.load(sys.stdin)
n = args["n"]
path = os.path.join(tempfile.mkdtemp(), "peer.db")
tree = SqliteTree(path)
t0 = time.perf_counter()
tree.append_entries(make_leaves(n))
built = time.perf_counter() - t0
rng = random.Random(7)
t0 = time.perf_counter()
root = tree.get_state(n)
first_root = time.perf_counter() - t0
incl = []
for _ in range(args["proofs"]):
    i = rng.randrange(n)
    t0 = time.perf_counter()
    proof = tree.prove_inclusion(i + 1, n)
    incl.append(time.perf_counter() - t0)
cons = []
for _ in range(args["proofs"]):
    m = rng.randrange(1, n)
    t0 = time.perf_counter()
    proof = tree.prove_consistency(m, n)
    cons.append(time.perf_counter() - t0)
print(json.dumps({"built": built, "first_root": first_root, "incl": incl, "cons": cons, "root": root.hex()}))
"""
)


def stats(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[int(len(values) * 0.99) - 1]
    return f"mean {statistics.mean(values) * 1e6:,.0f} µs, p50 {values[len(values) // 2] * 1e6:,.0f} µs, p99 {p99 * 1e6:,.0f} µs"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--proofs", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--pg", help="PostgreSQL URL of a scratch database (dropped and recreated)")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    n = args.leaves
    data_dir = Path(tempfile.mkdtemp(prefix="qz-bench-proofs-"))
    try:
        configure(data_dir, args.pg, args.batch)
        from django.db import connection

        from qingzhai.evidence import merkle, sequencer, tree, verify

        data = leaves(n)
        t0 = time.perf_counter()
        fill_outbox(data)
        queued = time.perf_counter() - t0
        t0 = time.perf_counter()
        sequencer.run()
        built = time.perf_counter() - t0
        leaf_hashes = [merkle.leaf_hash(x) for x in data]
        del data
        root = tree.root(n)
        rng = random.Random(7)
        incl, cons = [], []
        for _ in range(args.proofs):
            i = rng.randrange(n)
            t0 = time.perf_counter()
            proof = tree.inclusion_proof(i, n)
            incl.append(time.perf_counter() - t0)
            merkle.verify_inclusion(i, n, leaf_hashes[i], proof, root)
        for _ in range(args.proofs):
            m = rng.randrange(1, n)
            t0 = time.perf_counter()
            proof = tree.consistency_proof(m, n)
            cons.append(time.perf_counter() - t0)
        # check a few consistency proofs against roots computed independently
        for m in (1, n // 3, n - 1):
            merkle.verify_consistency(
                m, n, merkle.root_from_leaf_hashes(leaf_hashes[:m]), root, tree.consistency_proof(m, n)
            )
        t0 = time.perf_counter()
        report = verify.run()
        verify_s = time.perf_counter() - t0
        assert report.ok and report.size == n, report.problems[:3]
        print(f"backend: {connection.vendor}; leaves: {n:,}; proofs: {args.proofs} of each kind")
        print(
            f"  build: queue {queued:.1f} s, sequence {built:.1f} s ({n / built:,.0f} appends/s, batch {args.batch})"
        )
        print(f"  ours  inclusion:   {stats(incl)}")
        print(f"  ours  consistency: {stats(cons)}")
        print(f"  ours  full verification of {n:,} leaves: {verify_s:.1f} s ({n / verify_s:,.0f} leaves/s)")
        if not args.no_peer:
            peer = run_peer(PEER, {"n": n, "proofs": args.proofs})
            assert bytes.fromhex(peer["root"]) == root, "pymerkle and we disagree on the root"
            print(
                f"  peer  pymerkle 7.0.0: build {peer['built']:.1f} s; first root {peer['first_root']:.2f} s"
            )
            print(f"  peer  inclusion:   {stats(peer['incl'])}")
            print(f"  peer  consistency: {stats(peer['cons'])}")
            print(
                f"  ratio peer/ours (mean): inclusion {statistics.mean(peer['incl']) / statistics.mean(incl):.1f}x, "
                f"consistency {statistics.mean(peer['cons']) / statistics.mean(cons):.1f}x faster ours"
            )
        print(f"  root {root.hex()}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
