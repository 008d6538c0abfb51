"""`verify` catches every kind of tampering and names the first bad index."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from qingzhai.evidence import artifacts, note, record, sequencer, signing, verify
from qingzhai.evidence.checkpoint import Checkpoint as Body
from qingzhai.evidence.checkpoint import format_checkpoint
from qingzhai.evidence.models import Checkpoint, Entry, Node

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(settings):
    """A log of 12 leaves in three batches (checkpoints at 5, 10 and 12), each with an artifact."""
    settings.QINGZHAI_EVIDENCE_BATCH = 5
    with transaction.atomic():
        for i in range(12):
            record.file(
                kind="file",
                actor="cli",
                data=f"artifact {i}".encode(),
                media_type="text/plain",
                subject=f"f:{i}",
            )
    sequencer.run()
    assert list(Checkpoint.objects.order_by("size").values_list("size", flat=True)) == [5, 10, 12]


def raw(sql: str, params: list | None = None) -> None:
    """Write past the append-only triggers, as someone with direct database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def first(report: verify.Report) -> verify.Problem:
    problem = report.first()
    assert problem is not None, "verification should have failed"
    return problem


def test_an_intact_log_verifies(log):
    report = verify.run(full=True)
    assert report.ok, report.problems
    assert (report.size, report.checkpoint_size, report.checkpoints, report.artifacts_checked) == (
        12,
        12,
        3,
        12,
    )


def test_a_changed_leaf_is_named(log):
    data = bytes(Entry.objects.get(index=7).data).replace(b'"f:7"', b'"f:X"')
    raw('UPDATE evidence_entry SET data = %s WHERE "index" = 7', [data])
    problem = first(verify.run())
    assert (problem.index, problem.kind) == (7, "changed_leaf")


def test_a_leaf_rewritten_with_its_hash_is_caught_by_the_tree(log):
    from qingzhai.evidence import merkle

    data = bytes(Entry.objects.get(index=7).data).replace(b'"f:7"', b'"f:X"')
    raw(
        'UPDATE evidence_entry SET data = %s, leaf_hash = %s WHERE "index" = 7',
        [data, merkle.leaf_hash(data)],
    )
    problem = first(verify.run())
    assert problem.kind == "changed_leaf"
    assert problem.index == 6  # the level-1 node over leaves 6 and 7 no longer matches
    assert "[6, 8)" in problem.detail


def test_a_rewrite_of_leaf_nodes_and_all_is_caught_by_the_checkpoints(log):
    from qingzhai.evidence import merkle, tree
    from qingzhai.evidence.models import node_key

    data = bytes(Entry.objects.get(index=11).data).replace(b'"f:11"', b'"f:X"')
    h = merkle.leaf_hash(data)
    raw('UPDATE evidence_entry SET data = %s, leaf_hash = %s WHERE "index" = 11', [data, h])
    sibling = bytes(Entry.objects.get(index=10).leaf_hash)
    level1 = merkle.node_hash(sibling, h)
    raw('UPDATE evidence_node SET hash = %s WHERE "key" = %s', [level1, node_key(1, 5)])
    left = bytes(Node.objects.get(key=node_key(1, 4)).hash)
    raw(
        'UPDATE evidence_node SET hash = %s WHERE "key" = %s',
        [merkle.node_hash(left, level1), node_key(2, 2)],
    )
    assert tree.root(12) != bytes(Checkpoint.objects.get(size=12).root)
    problem = first(verify.run())
    assert (problem.index, problem.kind) == (10, "inconsistent_checkpoint")


def test_a_deleted_row_is_named(log):
    raw('DELETE FROM evidence_entry WHERE "index" = 4')
    problem = first(verify.run())
    assert (problem.index, problem.kind) == (4, "missing_leaf")


def test_deleting_the_newest_leaves_is_caught_by_the_checkpoint(log):
    raw('DELETE FROM evidence_entry WHERE "index" >= 11')
    problem = first(verify.run())
    assert (problem.index, problem.kind) == (11, "missing_leaf")
    assert "12" in problem.detail


def test_a_changed_tree_node_is_named(log):
    from qingzhai.evidence.models import node_key

    raw('UPDATE evidence_node SET hash = %s WHERE "key" = %s', [b"\x00" * 32, node_key(2, 1)])
    problem = first(verify.run())
    assert (problem.index, problem.kind) == (4, "changed_leaf")


def test_a_missing_tree_node_is_named(log):
    from qingzhai.evidence.models import node_key

    raw('DELETE FROM evidence_node WHERE "key" = %s', [node_key(3, 0)])
    problem = first(verify.run())
    assert (problem.index, problem.kind) == (0, "missing_node")


def test_an_altered_artifact_is_named_only_by_full(log):
    sha = Entry.objects.get(index=3).artifact_sha256
    path = artifacts.store().path(sha)  # type: ignore[attr-defined]
    path.chmod(0o640)
    path.write_bytes(b"artifact 3, edited")
    assert verify.run().ok
    problem = first(verify.run(full=True))
    assert (problem.index, problem.kind) == (3, "changed_artifact")


def test_a_missing_artifact_is_named(log):
    sha = Entry.objects.get(index=9).artifact_sha256
    artifacts.store().path(sha).unlink()  # type: ignore[attr-defined]
    problem = first(verify.run(full=True))
    assert (problem.index, problem.kind) == (9, "missing_artifact")


def test_a_forged_checkpoint_is_named(log):
    forger = note.Signer.generate(signing.origin())
    forged = note.sign_note(format_checkpoint(Body(signing.origin(), 12, b"\x01" * 32)), forger)
    raw("UPDATE evidence_checkpoint SET note = %s, root = %s WHERE size = 12", [forged, b"\x01" * 32])
    problem = first(verify.run())
    assert (problem.index, problem.kind) == (11, "bad_signature")


def test_a_validly_signed_checkpoint_that_disagrees_with_an_earlier_one_is_named(log):
    # Even with the log's own key, a checkpoint over other leaves is inconsistent with the stored log.
    other = b"\x02" * 32
    signed = note.sign_note(format_checkpoint(Body(signing.origin(), 10, other)), signing.signer())
    raw("UPDATE evidence_checkpoint SET note = %s, root = %s WHERE size = 10", [signed, other])
    problem = first(verify.run())
    assert (problem.index, problem.kind) == (5, "inconsistent_checkpoint")


def test_the_triggers_refuse_update_and_delete(log):
    from django.db import DatabaseError

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL qingzhai.audit_purge = 'off'")
        else:
            connection.connection.create_function("qz_audit_purge", 0, lambda: 0)
        try:
            for sql in (
                "UPDATE evidence_entry SET kind = 'x' WHERE \"index\" = 0",
                'DELETE FROM evidence_entry WHERE "index" = 0',
                "UPDATE evidence_node SET hash = hash",
                "DELETE FROM evidence_checkpoint",
                "DELETE FROM evidence_artifact",
            ):
                with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                    cursor.execute(sql)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL qingzhai.audit_purge = 'on'")
            else:
                connection.connection.create_function("qz_audit_purge", 0, lambda: 1)
    assert Entry.objects.count() == 12 and Node.objects.count() > 0
