"""Start customer-number allocation: a PostgreSQL sequence there, a counter row on SQLite."""

from __future__ import annotations

from django.db import migrations

FIRST = 650_001  # lmn.organisations.services.FIRST_CUSTOMER_NUMBER


def create_series(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE SEQUENCE IF NOT EXISTS lmn_customer_number START {FIRST}"
        )
    else:
        apps.get_model("organisations", "CustomerNumberCounter").objects.get_or_create(
            name="customer_number", defaults={"value": FIRST - 1}
        )


def drop_series(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS lmn_customer_number")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_unit_applications_and_customer_numbers")]
    operations = [migrations.RunPython(create_series, drop_series)]
