from django.urls import path

from steward.core import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("notifications/", views.notification_list, name="notifications-page"),
    path("notifications/read/", views.notification_read, name="notifications-mark-read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notifications-open"),
]
