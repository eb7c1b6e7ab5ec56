from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "steward.issues"
    label = "issues"
    verbose_name = "Issues"

    def ready(self) -> None:
        from steward.issues.plugins import register
        from steward.issues.tasks import schedule

        register()
        schedule()
