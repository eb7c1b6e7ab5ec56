from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "steward.savings"
    label = "savings"
    verbose_name = "Savings and total cost of ownership"

    def ready(self) -> None:
        from steward.savings.plugins import register

        register()
