from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "lmn.invoicing"
    label = "invoicing"
    verbose_name = "Fakturering"
