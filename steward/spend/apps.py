from django.apps import AppConfig


class SpendConfig(AppConfig):
    name = "steward.spend"
    label = "spend"
    verbose_name = "Spend"

    def ready(self) -> None:
        from steward.spend.plugins import register
        from steward.spend.tasks import schedule

        register()
        schedule()
