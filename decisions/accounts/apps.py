from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "decisions.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from decisions.accounts.middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="session-clocks")
