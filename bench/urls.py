"""Steward's URLs, plus two naive baselines under /bench/baseline/."""

from django.urls import include, path

from bench import views
from steward.config.urls import handler400, handler403, handler404, handler500

urlpatterns = [
    path("bench/baseline/organizations/", views.baseline_page, name="bench-baseline-page"),
    path("bench/baseline/organizations.json", views.baseline_json, name="bench-baseline-json"),
    path("", include("steward.config.urls")),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
