from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lmn.api"
    label = "api"
