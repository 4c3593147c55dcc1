from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lmn.demo"
    label = "demo"
