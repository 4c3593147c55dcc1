from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lmn.accounts"
    label = "accounts"
