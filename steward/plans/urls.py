from django.urls import path

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
        "initiatives/<int:pk>/milestones/new/",
        milestones.milestone_create,
        name="milestone-create",
    ),
    path("milestones/<int:pk>/edit/", milestones.milestone_edit, name="milestone-edit"),
    path("milestones/<int:pk>/done/", milestones.milestone_done, name="milestone-done"),
]
