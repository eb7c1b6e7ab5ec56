"""Routes of the contracts app's obligations pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
