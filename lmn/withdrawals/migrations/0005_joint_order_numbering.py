"""Start joint-order numbering: a PostgreSQL sequence there, a counter row on SQLite."""

from __future__ import annotations

from django.db import migrations

FIRST = 1  # S00000001


def create_numbering(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS lmn_joint_order_number START {FIRST}")
    else:
        apps.get_model("withdrawals", "NumberCounter").objects.get_or_create(
            name="joint_order", defaults={"value": FIRST - 1}
        )


def drop_numbering(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS lmn_joint_order_number")


class Migration(migrations.Migration):
    dependencies = [("withdrawals", "0004_joint_orders")]
    operations = [migrations.RunPython(create_numbering, drop_numbering)]
