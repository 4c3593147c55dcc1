from django.db import migrations, models

# the training world's logins (lmn/demo/data.py LOGINS) and its unit staff without a login
TRAINING_USERNAMES = [
    "forskrivare",
    "dietist",
    "lakare",
    "bestallare",
    "kundtjanst",
    "verksamhetschef",
    "lmnadmin",
    "granskare",
    "annanenhet",
    "distributor",
]


def mark_training_users(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(username__in=TRAINING_USERNAMES).update(training=True)
    User.objects.filter(username__regex=r"^personal[0-9]{6}$").update(training=True)
    # tokens issued before this migration carry no mode; they last hours, so treat
    # them as training tokens (dead in production) rather than guess
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.update(training=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_access_applications_and_email_verification"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="training",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="user",
            name="training",
            field=models.BooleanField(default=False, verbose_name="träningsinloggning"),
        ),
        migrations.RunPython(mark_training_users, migrations.RunPython.noop),
    ]
