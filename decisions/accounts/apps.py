from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "decisions.accounts"
    label = "accounts"
