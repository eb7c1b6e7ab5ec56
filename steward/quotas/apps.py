from django.apps import AppConfig


class QuotasConfig(AppConfig):
    name = "steward.quotas"
    label = "quotas"
    verbose_name = "Quotas, profitability and retention"

    def ready(self) -> None:
        from steward.quotas.plugins import register

        register()
