from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "steward.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from steward.core.access import register_principal_loader
        from steward.people.selectors import principal_load

        register_principal_loader(principal_load)
