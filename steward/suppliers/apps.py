from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "steward.suppliers"
    label = "suppliers"
    verbose_name = "Supplier relationships"

    def ready(self) -> None:
        from steward.suppliers.plugins import register

        register()
