from django.apps import AppConfig


class LogReviewConfig(AppConfig):
    name = "lmn.logreview"
    label = "logreview"
    verbose_name = "Loggranskning"
