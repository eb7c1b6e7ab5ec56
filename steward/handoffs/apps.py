from django.apps import AppConfig


class HandoffsConfig(AppConfig):
    name = "steward.handoffs"
    label = "handoffs"
    verbose_name = "Handoffs from business development"

    def ready(self) -> None:
        from steward.handoffs.plugins import register

        register()
