from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "lmn.catalog"
    label = "catalog"
