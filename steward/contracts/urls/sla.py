"""Routes of the contracts app's sla pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
