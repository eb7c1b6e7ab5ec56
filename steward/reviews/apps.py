from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "steward.reviews"
    label = "reviews"
    verbose_name = "Reviews and activities"

    def ready(self) -> None:
        from steward.reviews.plugins import register

        register()
