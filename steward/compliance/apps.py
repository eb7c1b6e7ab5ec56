from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "steward.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from steward.compliance.plugins import register
        from steward.compliance.tasks import EXPIRY_ALERTS_JOB, certification_expiry_alerts
        from steward.core.schedule import daily, register_periodic

        register()
        register_periodic(EXPIRY_ALERTS_JOB, certification_expiry_alerts, daily(hour=6))
