"""Routes of the risk pages."""

from django.urls import URLPattern

app_name = "risk"

urlpatterns: list[URLPattern] = []
