from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "steward.savings"
    label = "savings"
    verbose_name = "Savings and total cost of ownership"
