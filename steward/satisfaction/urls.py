"""Routes of the satisfaction pages."""

from django.urls import URLPattern

app_name = "satisfaction"

urlpatterns: list[URLPattern] = []
