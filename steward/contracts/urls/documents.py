"""Routes of the contracts app's documents pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
