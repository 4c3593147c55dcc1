"""Västra Götaland's delivery policy row, with the routine's defaults, editable in the admin."""

from __future__ import annotations

from django.db import migrations


def create_policy(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("delivery", "RegionPolicy").objects.get_or_create(region="VG")


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_initial")]
    operations = [migrations.RunPython(create_policy, migrations.RunPython.noop)]
