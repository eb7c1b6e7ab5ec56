from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "steward.parties"
    label = "parties"
    verbose_name = "Organizations and relationships"

    def ready(self) -> None:
        from steward.parties.plugins import register

        register()
