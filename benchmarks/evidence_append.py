"""Evidence ledger: appends per second, batched, on SQLite and PostgreSQL, against pymerkle 7.0.0's
SQLite backend appending the same leaves in the same run.

Ours: the leaves are queued in the outbox (as producers do), then the sequencer appends them in batches of
--batch: per batch one transaction storing leaves and every new complete-subtree node, then a signed
checkpoint. Also timed: producers queueing leaves one act at a time (record.enqueue, 1,000 per transaction).
Peer: pymerkle.SqliteTree.append_entries with the same leaves in the same batch size (it stores leaves only,
and signs nothing).

    .venv/bin/python benchmarks/evidence_append.py [--leaves 100000] [--batch 5000] [--pg URL]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evidence_common import LEAF_SOURCE, configure, fill_outbox, leaves, run_peer

PEER = (
    LEAF_SOURCE
    + r"""
import json, sys, time, tempfile, os
from pymerkle import SqliteTree
args = json.load(sys.stdin)
data = make_leaves(args["n"])
path = os.path.join(tempfile.mkdtemp(), "peer.db")
tree = SqliteTree(path)
t0 = time.perf_counter()
for start in range(0, len(data), args["batch"]):
    tree.append_entries(data[start:start + args["batch"]])
elapsed = time.perf_counter() - t0
root = tree.get_state().hex()
print(json.dumps({"seconds": elapsed, "root": root, "size": tree.get_size()}))
"""
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaves", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--pg", help="PostgreSQL URL of a scratch database (dropped and recreated)")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="qz-bench-evidence-"))
    try:
        configure(data_dir, args.pg, args.batch)
        from django.db import connection, transaction

        from qingzhai.evidence import merkle, record, sequencer, tree
        from qingzhai.evidence.models import Checkpoint, Outbox

        data = leaves(args.leaves)
        backend = connection.vendor
        fill_outbox(data)
        t0 = time.perf_counter()
        appended = sequencer.run()
        ours = time.perf_counter() - t0
        assert appended == args.leaves and Outbox.objects.count() == 0
        checkpoints = Checkpoint.objects.count()
        root = tree.root(args.leaves)
        assert root == merkle.root_from_leaf_hashes([merkle.leaf_hash(x) for x in data])

        # Producers: one record.enqueue per act, 1,000 acts per transaction (no sequencing on commit).
        from qingzhai.evidence import tasks

        tasks.sequence_soon = lambda: None
        sample = min(args.leaves, 20_000)
        t0 = time.perf_counter()
        import json as _json

        for start in range(0, sample, 1000):
            with transaction.atomic():
                for leaf in data[start : start + 1000]:
                    record.enqueue(_json.loads(leaf))
        enqueue = time.perf_counter() - t0
        t0 = time.perf_counter()
        sequencer.run()
        second = time.perf_counter() - t0

        peer = run_peer(PEER, {"n": args.leaves, "batch": args.batch})
        assert bytes.fromhex(peer["root"]) == root, "pymerkle and we disagree on the root"
        ours_rate, peer_rate = args.leaves / ours, args.leaves / peer["seconds"]
        print(
            f"backend: {backend}; leaves: {args.leaves}; batch: {args.batch}; checkpoints signed: {checkpoints}"
        )
        print(
            f"  ours  sequencer (outbox -> leaves + nodes + signed checkpoint): {ours:.2f} s, {ours_rate:,.0f} appends/s"
        )
        print(
            f"  peer  pymerkle {''}7.0.0 SqliteTree.append_entries (leaves only): {peer['seconds']:.2f} s, {peer_rate:,.0f} appends/s"
        )
        print(f"  ratio ours/peer: {ours_rate / peer_rate:.2f}x")
        print(
            f"  producers queueing one act at a time: {sample / enqueue:,.0f} leaves/s; "
            f"then sequencing them: {sample / second:,.0f} appends/s; "
            f"end to end {sample / (enqueue + second):,.0f}/s"
        )
        print(f"  same root as pymerkle: {root.hex()}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
