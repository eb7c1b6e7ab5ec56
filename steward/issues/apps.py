from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "steward.issues"
    label = "issues"
    verbose_name = "Issues"
