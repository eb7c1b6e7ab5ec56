from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "steward.reviews"
    label = "reviews"
    verbose_name = "Reviews and activities"

    def ready(self) -> None:
        from steward.core.schedule import daily, register_periodic
        from steward.reviews.agenda import register_engine_sections
        from steward.reviews.plugins import register
        from steward.reviews.tasks import (
            CHASE_JOB,
            SCHEDULE_JOB,
            action_items_chase_overdue,
            reviews_schedule,
        )

        register()
        register_engine_sections()
        register_periodic(SCHEDULE_JOB, reviews_schedule, daily(hour=4))
        register_periodic(CHASE_JOB, action_items_chase_overdue, daily(hour=7))
