from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lmn.web"
    label = "web"
