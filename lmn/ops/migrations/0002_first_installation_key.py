"""Give this installation its identity at its first migration."""

import uuid

from django.db import migrations


def create(apps, schema_editor):
    Installation = apps.get_model("ops", "Installation")
    if not Installation.objects.exists():
        Installation.objects.create(key=str(uuid.uuid4()))


class Migration(migrations.Migration):
    dependencies = [("ops", "0001_installation_identity")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
