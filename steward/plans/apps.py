from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "steward.plans"
    label = "plans"
    verbose_name = "Plans and initiatives"

    def ready(self) -> None:
        from steward.plans.plugins import register

        register()
