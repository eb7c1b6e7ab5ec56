"""Routes of the spend pages."""

from django.urls import path  # noqa: F401 - filled in as the pages land

app_name = "spend"

urlpatterns: list = []
