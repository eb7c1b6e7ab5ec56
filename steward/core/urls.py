from django.urls import path

from steward.core import views

urlpatterns = [path("search/", views.search, name="search")]
