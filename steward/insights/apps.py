from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "steward.insights"
    label = "insights"
    verbose_name = "Insights"
