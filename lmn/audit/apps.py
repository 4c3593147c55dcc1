from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lmn.audit"
    label = "audit"
