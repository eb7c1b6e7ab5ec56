from django.urls import path

from steward.reviews import views

app_name = "reviews"

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path(
        "relationships/<int:relationship_pk>/activities/new/",
        views.activity_create,
        name="activity-create",
    ),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
]
