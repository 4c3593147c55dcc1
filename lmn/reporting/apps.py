from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "lmn.reporting"
    label = "reporting"
    verbose_name = "Uppföljning och statistik"
