from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    name = "steward.satisfaction"
    label = "satisfaction"
    verbose_name = "Customer satisfaction and health"

    def ready(self) -> None:
        from steward.satisfaction.plugins import register

        register()
