"""Database-level refusal of UPDATE and DELETE on the ledger's tables (PostgreSQL and SQLite).

As for the audit trail, only the purge switch (QINGZHAI_AUDIT_PURGE_ALLOWED), which the test runner turns
on to empty throw-away databases, gets past the triggers; production never sets it.
"""

from django.db import migrations

TABLES = [
    "evidence_entry",
    "evidence_node",
    "evidence_checkpoint",
    "evidence_cosignature",
    "evidence_timestamp",
    "evidence_artifact",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION qz_refuse_evidence_change() RETURNS trigger AS $$
BEGIN
  IF current_setting('qingzhai.audit_purge', true) = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def _pg_up(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION qz_refuse_evidence_change();"
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION qz_refuse_evidence_change();"
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION qz_refuse_evidence_change();"
    )


def _sqlite_up(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} WHEN qz_audit_purge() = 0 "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only ({op} refused)'); END;"
        for op in ("UPDATE", "DELETE")
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(PG_FUNCTION)
            for table in TABLES:
                cursor.execute(_pg_up(table))
    elif vendor == "sqlite":
        for table in TABLES:
            for statement in _sqlite_up(table):
                schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        for op in ("update", "delete", "truncate"):
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table};")
            elif vendor == "sqlite" and op != "truncate":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS qz_refuse_evidence_change();")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial"), ("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
