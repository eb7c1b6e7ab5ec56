from django.urls import path

from steward.parties.views.common import archive_view
from steward.reviews import selectors, views

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
    path(
        "activities/<int:pk>/archive/",
        archive_view(selectors.activity_get),
        name="activity-archive",
    ),
    path(
        "activities/<int:pk>/restore/",
        archive_view(selectors.activity_get, restore=True),
        name="activity-restore",
    ),
]
