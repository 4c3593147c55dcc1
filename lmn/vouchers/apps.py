from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "lmn.vouchers"
    label = "vouchers"
    verbose_name = "Talonger"
