"""On PostgreSQL, triggers refuse UPDATE, DELETE and TRUNCATE on the audit tables.

The model and its QuerySet refuse these too; the triggers also stop raw SQL from the
application. A database owner can still disable them, which is why the trail is also
hash-chained and sealed (lmn/audit/integrity.py). TRUNCATE is let through only in a
session that sets `lmn.audit_maintenance = on` (the test suite's flush between
transactional tests); the application role should not hold TRUNCATE at all (README).
"""

from django.db import migrations

TABLES = ["audit_auditevent", "audit_auditseal", "audit_auditcheckpoint", "audit_auditverification"]

FUNCTION = """
CREATE OR REPLACE FUNCTION lmn_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND current_setting('lmn.audit_maintenance', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _sql(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION lmn_audit_append_only();"
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION lmn_audit_append_only();"
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(_sql(table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS lmn_audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_sealed_checkpoints")]

    operations = [migrations.RunPython(create, drop)]
