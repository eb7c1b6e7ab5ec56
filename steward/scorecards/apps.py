from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "steward.scorecards"
    label = "scorecards"
    verbose_name = "Scorecards"

    def ready(self) -> None:
        from steward.scorecards.plugins import register
        from steward.scorecards.tasks import schedule

        register()
        schedule()
