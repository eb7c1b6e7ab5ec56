from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "steward.contracts"
    label = "contracts"
    verbose_name = "Contracts"
