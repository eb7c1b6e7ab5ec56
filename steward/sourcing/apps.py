from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "steward.sourcing"
    label = "sourcing"
    verbose_name = "Sourcing events"

    def ready(self) -> None:
        from steward.sourcing.plugins import register

        register()
