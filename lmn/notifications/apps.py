from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lmn.notifications"
    label = "notifications"
