from django.apps import AppConfig


class RepresentationConfig(AppConfig):
    name = "lmn.representation"
    label = "representation"
