from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "steward.contracts"
    label = "contracts"
    verbose_name = "Contracts"

    def ready(self) -> None:
        from steward.contracts.plugins import register
        from steward.contracts.tasks import (
            OBLIGATION_ALERTS_JOB,
            REMINDERS_JOB,
            ROLL_FORWARD_JOB,
            SLA_CLOSE_JOB,
            contracts_roll_forward,
            obligation_alerts_send,
            renewal_reminders_send,
            sla_periods_close,
        )
        from steward.core.schedule import daily, register_periodic

        register()
        # Roll terms forward first, so reminders see this term's notice deadline.
        register_periodic(ROLL_FORWARD_JOB, contracts_roll_forward, daily(hour=2))
        # Close last period's SLAs after the roll-forward, so the terms in force are current.
        register_periodic(SLA_CLOSE_JOB, sla_periods_close, daily(hour=3))
        register_periodic(REMINDERS_JOB, renewal_reminders_send, daily(hour=6))
        register_periodic(OBLIGATION_ALERTS_JOB, obligation_alerts_send, daily(hour=6))
