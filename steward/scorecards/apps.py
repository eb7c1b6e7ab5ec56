from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "steward.scorecards"
    label = "scorecards"
    verbose_name = "Scorecards"
