"""Routes of the contracts app's rules pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
