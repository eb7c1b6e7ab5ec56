"""Routes of the contracts app's renewals pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
