from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "steward.assessments"
    label = "assessments"
    verbose_name = "Security assessments"

    def ready(self) -> None:
        from steward.assessments.plugins import register

        register()
