from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "steward.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from steward.catalog.plugins import register

        register()
