"""Routes of the savings register and TCO pages."""

from django.urls import path  # noqa: F401 - filled in as the pages land

app_name = "savings"

urlpatterns: list = []
