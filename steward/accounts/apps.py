from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "steward.accounts"
    label = "accounts"
    verbose_name = "Key accounts"

    def ready(self) -> None:
        from steward.accounts.plugins import register

        register()
