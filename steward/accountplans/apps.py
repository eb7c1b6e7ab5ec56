from django.apps import AppConfig


class AccountplansConfig(AppConfig):
    name = "steward.accountplans"
    label = "accountplans"
    verbose_name = "Joint account plans"

    def ready(self) -> None:
        from steward.accountplans.plugins import register

        register()
