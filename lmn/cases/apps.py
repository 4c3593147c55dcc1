from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lmn.cases"
    label = "cases"
    verbose_name = "Kundtjänstärenden"
