"""Routes of the accountplans pages."""

from django.urls import URLPattern

app_name = "accountplans"

urlpatterns: list[URLPattern] = []
