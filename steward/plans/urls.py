from django.urls import path

from steward.parties.views.common import archive_view
from steward.plans import selectors
from steward.plans.views import initiatives, milestones, roadmap

app_name = "plans"

urlpatterns = [
    path("initiatives/", initiatives.InitiativeListView.as_view(), name="initiative-list"),
    path("initiatives/roadmap/", roadmap.roadmap, name="roadmap"),
    path(
        "relationships/<int:relationship_pk>/initiatives/new/",
        initiatives.initiative_create,
        name="initiative-create",
    ),
    path("initiatives/<int:pk>/", initiatives.initiative_detail, name="initiative-detail"),
    path("initiatives/<int:pk>/edit/", initiatives.initiative_edit, name="initiative-edit"),
    path(
        "initiatives/<int:pk>/archive/",
        archive_view(selectors.initiative_get),
        name="initiative-archive",
    ),
    path(
        "initiatives/<int:pk>/restore/",
        archive_view(selectors.initiative_get, restore=True),
        name="initiative-restore",
    ),
    path(
        "initiatives/<int:pk>/milestones/new/",
        milestones.milestone_create,
        name="milestone-create",
    ),
    path("milestones/<int:pk>/edit/", milestones.milestone_edit, name="milestone-edit"),
    path("milestones/<int:pk>/done/", milestones.milestone_done, name="milestone-done"),
]
