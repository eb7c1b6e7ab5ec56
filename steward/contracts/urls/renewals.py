"""Routes of the contracts app's renewals pages."""

from django.urls import URLPattern, path

from steward.contracts.views import renewals

urlpatterns: list[URLPattern] = [
    path("contracts/radar/", renewals.renewal_radar, name="renewal-radar"),
    path("contracts/radar/reminders/", renewals.reminder_policy, name="reminder-policy"),
    path("contracts/radar/calendar/", renewals.calendar_feed, name="calendar-feed"),
    path("contracts/<int:pk>/renewal/decide/", renewals.renewal_decide, name="renewal-decide"),
    path("contracts/<int:pk>/renewal-pack/", renewals.renewal_pack, name="renewal-pack"),
]
