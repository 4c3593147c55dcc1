from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "lmn.reminders"
    label = "reminders"
    verbose_name = "Påminnelser"
