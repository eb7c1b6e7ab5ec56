from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "steward.awards"
    label = "awards"
    verbose_name = "Evaluation and award"

    def ready(self) -> None:
        from steward.awards.plugins import register

        register()
