from django.apps import AppConfig


class WithdrawalsConfig(AppConfig):
    name = "lmn.withdrawals"
    label = "withdrawals"
