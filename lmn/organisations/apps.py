from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "lmn.organisations"
    label = "organisations"
