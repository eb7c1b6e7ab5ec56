"""Routes of the handoffs pages."""

from django.urls import URLPattern

app_name = "handoffs"

urlpatterns: list[URLPattern] = []
