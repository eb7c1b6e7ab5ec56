from django.urls import path

from steward.parties.views.common import archive_view
from steward.reviews import selectors, selectors_reviews, views, views_reviews

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
    # Business reviews.
    path("reviews/", views_reviews.ReviewListView.as_view(), name="review-list"),
    path(
        "relationships/<int:relationship_pk>/reviews/new/",
        views_reviews.review_create,
        name="review-create",
    ),
    path("reviews/<int:pk>/", views_reviews.review_detail, name="review-detail"),
    path("reviews/<int:pk>/edit/", views_reviews.review_edit, name="review-edit"),
    path("reviews/<int:pk>/prepare/", views_reviews.review_prepare, name="review-prepare"),
    path("reviews/<int:pk>/record/", views_reviews.review_record, name="review-record"),
    path("reviews/<int:pk>/cancel/", views_reviews.review_cancel, name="review-cancel"),
    path("reviews/<int:pk>/decisions/new/", views_reviews.decision_add, name="decision-add"),
    path("reviews/<int:pk>/actions/new/", views_reviews.action_add, name="action-add"),
    path("reviews/<int:pk>/pack.pdf", views_reviews.review_pack, name="review-pack"),
    path(
        "reviews/<int:pk>/archive/",
        archive_view(selectors_reviews.review_get),
        name="review-archive",
    ),
    path(
        "reviews/<int:pk>/restore/",
        archive_view(selectors_reviews.review_get, restore=True),
        name="review-restore",
    ),
    # Action items.
    path("actions/mine/", views_reviews.MyActionsView.as_view(), name="action-mine"),
    path("actions/<int:pk>/", views_reviews.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views_reviews.action_edit, name="action-edit"),
    path("actions/<int:pk>/complete/", views_reviews.action_complete, name="action-complete"),
    path("actions/<int:pk>/drop/", views_reviews.action_drop, name="action-drop"),
    path("actions/<int:pk>/reopen/", views_reviews.action_reopen, name="action-reopen"),
    path("actions/<int:pk>/follow-up/", views_reviews.action_follow_up, name="action-follow-up"),
    path(
        "actions/<int:pk>/archive/",
        archive_view(selectors_reviews.action_item_get),
        name="action-archive",
    ),
    path(
        "actions/<int:pk>/restore/",
        archive_view(selectors_reviews.action_item_get, restore=True),
        name="action-restore",
    ),
]
