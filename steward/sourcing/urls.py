"""Routes of the sourcing pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "sourcing"

urlpatterns: list[URLPattern] = []
