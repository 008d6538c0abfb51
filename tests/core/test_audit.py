import pytest
from django.db import DatabaseError, connection, transaction

from qingzhai.core import audit
from qingzhai.core.models import AppendOnlyError, AuditEvent


def _event(actor="system"):
    with transaction.atomic():
        return audit.record(
            actor=actor, action="test.act", entity_type="x", entity_id=1, changes={"a": [1, 2]}
        )


def test_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(actor="system", action="test", entity_type="x", entity_id=1)


def test_record_captures_actor_and_changes(collector):
    event = _event(collector)
    assert event.actor == collector
    assert event.actor_label == collector.username
    assert event.changes == {"a": [1, 2]}


def test_record_labels_source(db):
    with audit.source("cli"):
        event = _event()
    assert event.source == "cli"
    assert _event().source == ""


def test_model_refuses_update_and_delete(db):
    event = _event()
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def _purge_off():
    """Switch off the test runner's purge permission on this connection, so the triggers bite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL qingzhai.audit_purge = 'off'")
    else:
        connection.ensure_connection()
        connection.connection.create_function("qz_audit_purge", 0, lambda: 0)


def _purge_restore():
    if connection.vendor == "sqlite":
        connection.connection.create_function("qz_audit_purge", 0, lambda: 1)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"],
)
def test_database_trigger_refuses_raw_changes(db, statement):
    _event()
    try:
        with transaction.atomic():
            _purge_off()
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cur,
            ):
                cur.execute(statement)
    finally:
        _purge_restore()
    assert AuditEvent.objects.filter(action="test.act").count() == 1


def test_queryset_update_is_refused_by_the_database(db):
    _event()
    try:
        with transaction.atomic():
            _purge_off()
            with pytest.raises(DatabaseError), transaction.atomic():
                AuditEvent.objects.update(reason="rewritten")
    finally:
        _purge_restore()
    assert not AuditEvent.objects.filter(reason="rewritten").exists()


def test_diff_and_snapshot(case):
    before = audit.snapshot(case, ["stage", "next_action_date"])
    assert before == {"stage": "new", "next_action_date": None}
    assert audit.diff(before, {"stage": "contact", "next_action_date": None}) == {"stage": ["new", "contact"]}
