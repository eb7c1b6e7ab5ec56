from django.apps import AppConfig


class BiddingConfig(AppConfig):
    name = "steward.bidding"
    label = "bidding"
    verbose_name = "Bids"

    def ready(self) -> None:
        from steward.bidding.plugins import register

        register()
