from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lmn.core"
    label = "core"
