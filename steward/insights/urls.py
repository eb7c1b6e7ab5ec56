from django.urls import path

from steward.insights import views

urlpatterns = [path("", views.home, name="home")]
