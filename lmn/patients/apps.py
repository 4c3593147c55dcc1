from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "lmn.patients"
    label = "patients"
