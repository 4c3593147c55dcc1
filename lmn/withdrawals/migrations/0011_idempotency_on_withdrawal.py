"""The Idempotency-Key moves onto the withdrawal's row (issue 10): placing writes one row
less, and the unique (actor, key) constraint still decides a request sent again. Keys
recorded so far are copied over before their table goes."""

from django.db import migrations, models


def copy_keys(apps, schema_editor):
    record = apps.get_model("withdrawals", "IdempotencyRecord")
    withdrawal = apps.get_model("withdrawals", "Withdrawal")
    for r in record.objects.order_by("pk").iterator(chunk_size=2000):
        withdrawal.objects.filter(pk=r.withdrawal_id).update(
            idempotency_actor=r.actor_key,
            idempotency_key=r.key,
            idempotency_fingerprint=r.fingerprint,
        )


class Migration(migrations.Migration):
    dependencies = [("withdrawals", "0010_joint_order_idempotency_key")]

    operations = [
        migrations.AddField(
            model_name="withdrawal",
            name="idempotency_actor",
            field=models.CharField(blank=True, default="", max_length=80),
        ),
        migrations.AddField(
            model_name="withdrawal",
            name="idempotency_fingerprint",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="withdrawal",
            name="idempotency_key",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
        migrations.RunPython(copy_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="withdrawal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("idempotency_actor", "idempotency_key"),
                name="withdrawal_once_per_key",
            ),
        ),
        migrations.RemoveConstraint(model_name="idempotencyrecord", name="idempotency_actor_key"),
        migrations.DeleteModel(name="IdempotencyRecord"),
    ]
