from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "steward.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from steward.compliance.plugins import register

        register()
