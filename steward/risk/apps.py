from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "steward.risk"
    label = "risk"
    verbose_name = "Risk"

    def ready(self) -> None:
        from steward.risk.plugins import register

        register()
