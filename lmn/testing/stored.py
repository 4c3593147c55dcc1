"""What the database holds, for tests that prove something was *not* stored."""

from __future__ import annotations

from django.apps import apps
from django.db import models


def rows_containing(*needles: str, skip: tuple[type[models.Model], ...] = ()) -> list[str]:
    """Every stored row, in every table LMN has (but `skip`), whose text mentions one of
    `needles`; each as "app.Model: the row's text"."""
    hits = []
    for model in apps.get_models():
        if model in skip:
            continue
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            text = " ".join(str(value) for value in row)
            if any(needle in text for needle in needles):
                hits.append(f"{model._meta.label}: {text}")
    return hits
