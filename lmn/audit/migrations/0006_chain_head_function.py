"""On PostgreSQL, one function locks an audit chain and returns its head: one round trip.

`record()` used to send the advisory lock and the read of the chain's last hash as two
statements. In a VOLATILE PL/pgSQL function each statement takes a fresh snapshot (READ
COMMITTED), so the read after the lock sees an append committed while we waited, as the
second statement did before.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION lmn_audit_chain_head(lock_id integer, chain_name text)
RETURNS text VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_id, hashtext(chain_name));
  RETURN (SELECT e.hash FROM audit_auditevent AS e WHERE e.chain = chain_name
          ORDER BY e.id DESC LIMIT 1);
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS lmn_audit_chain_head(integer, text);")


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_append_only_triggers")]

    operations = [migrations.RunPython(create, drop)]
