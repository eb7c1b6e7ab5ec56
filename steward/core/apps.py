from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "steward.core"
    label = "core"
    verbose_name = "Steward core"

    def ready(self) -> None:
        from steward.core.schedule import daily, register_periodic
        from steward.core.tasks import housekeeping

        register_periodic("core.housekeeping", housekeeping, daily(hour=3))
