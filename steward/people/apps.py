from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "steward.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from steward.core.access import register_principal_loader
        from steward.people.plugins import register_plugins
        from steward.people.selectors import principal_load

        register_principal_loader(principal_load)
        register_plugins()

        from django.conf import settings

        from steward.core.schedule import daily, register_periodic
        from steward.people.tasks import DIGEST_JOB, digests_enqueue

        register_periodic(
            DIGEST_JOB, digests_enqueue, daily(hour=lambda: settings.STEWARD_DIGEST_HOUR)
        )
