from django.apps import AppConfig


class EserviceConfig(AppConfig):
    name = "lmn.eservice"
    label = "eservice"
