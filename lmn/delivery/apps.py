from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "lmn.delivery"
    label = "delivery"
