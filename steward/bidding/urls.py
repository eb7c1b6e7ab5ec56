"""Routes of the bidding pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "bidding"

urlpatterns: list[URLPattern] = []
