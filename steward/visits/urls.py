"""Routes of the visits pages: an account's brief (page and PDF) and its post-visit note."""

from django.urls import URLPattern, path

from steward.visits import views

app_name = "visits"

urlpatterns: list[URLPattern] = [
    path("accounts/<int:pk>/brief/", views.brief_page, name="brief"),
    path("accounts/<int:pk>/brief/pdf/", views.brief_pdf, name="brief-pdf"),
    path("accounts/<int:pk>/visits/new/", views.visit_new, name="visit-new"),
]
