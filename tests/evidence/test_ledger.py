"""The stored log: outbox → sequencer → entries, nodes and signed checkpoints; proofs from the database."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, connection, transaction

from qingzhai.evidence import merkle, note, record, sequencer, signing, tree
from qingzhai.evidence.checkpoint import parse_checkpoint
from qingzhai.evidence.models import Checkpoint, Entry, Node, Outbox

pytestmark = pytest.mark.django_db


def queue(n: int, start: int = 0) -> list[bytes]:
    leaves = []
    with transaction.atomic():
        for i in range(start, start + n):
            leaves.append(record.act(kind="file", actor="cli", subject=f"test:{i}", content={"i": i}).leaf)
    return leaves


def test_batches_append_in_order_and_sign_a_checkpoint_per_batch(settings):
    settings.QINGZHAI_EVIDENCE_BATCH = 7
    leaves = queue(20)
    assert sequencer.run() == 20
    assert Outbox.objects.count() == 0
    stored = list(Entry.objects.order_by("index").values_list("index", "data", "leaf_hash"))
    assert [i for i, _, _ in stored] == list(range(20))
    assert [bytes(d) for _, d, _ in stored] == leaves
    assert all(bytes(h) == merkle.leaf_hash(bytes(d)) for _, d, h in stored)
    assert list(Checkpoint.objects.order_by("size").values_list("size", flat=True)) == [7, 14, 20]
    latest = Checkpoint.objects.get(size=20)
    opened, _sigs = note.open_note(latest.note, [signing.verifier()])
    body = parse_checkpoint(opened.text)
    assert (body.origin, body.size) == (settings.QINGZHAI_EVIDENCE_ORIGIN, 20)
    assert body.root == merkle.root_from_leaf_hashes([merkle.leaf_hash(x) for x in leaves])


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 33])
def test_proofs_from_stored_nodes_equal_the_reference(n, settings):
    settings.QINGZHAI_EVIDENCE_BATCH = 4  # several batches, so the frontier is reloaded between them
    leaves = queue(n)
    sequencer.run()
    hashes = [merkle.leaf_hash(x) for x in leaves]
    for size in range(1, n + 1):
        assert tree.root(size) == merkle.root_from_leaf_hashes(hashes[:size])
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert proof == merkle.inclusion_proof(hashes[:size], index)
        for old in range(0, size + 1):
            assert tree.consistency_proof(old, size) == merkle.consistency_proof(hashes[:size], old)


def test_every_complete_subtree_is_stored_once():
    queue(10)
    sequencer.run()
    levels = sorted(k >> 56 for k in Node.objects.values_list("key", flat=True))
    assert levels == [1] * 5 + [2] * 2 + [3]


def test_leaf_records_hold_no_content_only_its_hash():
    with transaction.atomic():
        appended = record.act(
            kind="activity", actor="cli", subject="portfolio.activity:1", content={"note": "电话 13800138000"}
        )
    rec = json.loads(appended.leaf)
    assert "13800138000" not in appended.leaf.decode()
    assert set(rec) == {"v", "type", "case", "actor", "time", "subject", "artifact", "prev"}
    assert rec["artifact"]["sha256"] == appended.artifact.sha256


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        record.enqueue({"type": "file"})


def test_an_unknown_type_is_refused():
    with transaction.atomic(), pytest.raises(record.RecordError):
        record.act(kind="gossip", actor="cli", subject="x")


def test_a_rolled_back_act_leaves_nothing_in_the_log():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record.act(kind="file", actor="cli", subject="x")
        1 / 0
    assert Outbox.objects.count() == 0
    assert sequencer.run() == 0


def test_two_sequencer_runs_never_reuse_an_index():
    queue(5)
    sequencer.append_batch()
    queue(3, start=5)
    sequencer.append_batch()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO evidence_entry ("index", leaf_hash, data, kind, subject, artifact_sha256, sequenced_at) '
            "VALUES (3, %s, %s, 'file', '', '', CURRENT_TIMESTAMP)",
            [b"x" * 32, b"{}"],
        )
    assert Entry.objects.count() == 8


def test_a_checkpoint_is_published_after_a_crash_between_commit_and_signing():
    queue(4)
    sequencer.append_batch()  # committed, not yet signed: as if the process died here
    assert not Checkpoint.objects.exists()
    sequencer.run()
    assert Checkpoint.objects.get().size == 4


def test_the_stored_tree_reproduces_the_rfc6962_tree8_vectors():
    from pathlib import Path

    from qingzhai.core.clock import now

    vectors = json.loads(
        (Path(__file__).resolve().parents[1] / "data" / "evidence" / "rfc6962-subset.json").read_text()
    )
    tree8 = vectors["tree8"]
    Outbox.objects.bulk_create(
        [Outbox(leaf=bytes.fromhex(x), kind="file", created_at=now()) for x in tree8["leaves_hex"]]
    )
    sequencer.run()
    assert {str(n): tree.root(n).hex() for n in range(9)} == tree8["roots_by_size_hex"]
    for case in vectors["derived_tree8_all_inclusion"]["proofs"]:
        assert [p.hex() for p in tree.inclusion_proof(case["leafIdx"], case["treeSize"])] == case["proof_hex"]
    for case in vectors["derived_tree8_all_consistency"]["proofs"]:
        assert [p.hex() for p in tree.consistency_proof(case["size1"], case["size2"])] == case["proof_hex"]
