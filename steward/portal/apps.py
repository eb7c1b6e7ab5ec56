from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "steward.portal"
    label = "portal"
    verbose_name = "Vendor portal"

    def ready(self) -> None:
        from steward.portal.plugins import register

        register()
