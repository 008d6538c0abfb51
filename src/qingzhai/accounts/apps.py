from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qingzhai.accounts"
    label = "accounts"
    verbose_name = "Accounts"
