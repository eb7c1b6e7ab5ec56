"""Routes of the quotas pages."""

from django.urls import URLPattern

app_name = "quotas"

urlpatterns: list[URLPattern] = []
