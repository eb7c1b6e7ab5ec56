from django.urls import path  # noqa: F401 - pages are added as they land

app_name = "scorecards"

urlpatterns: list = []
