"""The five product areas of ACC-3 exist in every installation."""

from __future__ import annotations

from django.db import migrations

AREAS = [
    ("diabetes", "Diabetes"),
    ("incontinence", "Inkontinens, blås- och tarmdysfunktion"),
    ("nutrition", "Nutrition"),
    ("tube_feeding", "Nutrition – Sondmatningstillbehör (plast)"),
    ("stoma", "Stomi"),
]


def create_areas(apps, schema_editor):  # type: ignore[no-untyped-def]
    ProductArea = apps.get_model("catalog", "ProductArea")
    for order, (code, name) in enumerate(AREAS):
        ProductArea.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create_areas, migrations.RunPython.noop)]
