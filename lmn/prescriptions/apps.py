from django.apps import AppConfig


class PrescriptionsConfig(AppConfig):
    name = "lmn.prescriptions"
    label = "prescriptions"
