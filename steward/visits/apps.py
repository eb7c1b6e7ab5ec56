from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "steward.visits"
    label = "visits"
    verbose_name = "Pre-visit briefs and post-visit notes"

    def ready(self) -> None:
        from steward.visits.plugins import register

        register()
