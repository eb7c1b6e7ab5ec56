"""Routes of the awards pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "awards"

urlpatterns: list[URLPattern] = []
