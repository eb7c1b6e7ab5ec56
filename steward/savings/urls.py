"""Routes of the savings register, the levers and the TCO comparisons."""

from django.urls import path

from steward.savings.views import initiatives, levers, tco

app_name = "savings"

urlpatterns = [
    path("savings/", initiatives.InitiativeListView.as_view(), name="initiative-list"),
    path("savings/new/", initiatives.initiative_create, name="initiative-create"),
    path("savings/<int:pk>/", initiatives.initiative_detail, name="initiative-detail"),
    path("savings/<int:pk>/edit/", initiatives.initiative_edit, name="initiative-edit"),
    path(
        "savings/<int:pk>/transition/",
        initiatives.initiative_transition,
        name="initiative-transition",
    ),
    path("savings/<int:pk>/archive/", initiatives.initiative_archive, name="initiative-archive"),
    path("savings/<int:pk>/restore/", initiatives.initiative_restore, name="initiative-restore"),
    path("savings/levers/", levers.lever_list, name="levers"),
    path("savings/levers/take-up/", levers.lever_take_up, name="lever-take-up"),
    path("savings/tco/", tco.ComparisonListView.as_view(), name="tco-list"),
    path("savings/tco/new/", tco.comparison_create, name="tco-create"),
    path("savings/tco/<int:pk>/", tco.comparison_detail, name="tco-detail"),
    path("savings/tco/<int:pk>/edit/", tco.comparison_edit, name="tco-edit"),
    path("savings/tco/<int:pk>/archive/", tco.comparison_archive, name="tco-archive"),
    path("savings/tco/<int:pk>/restore/", tco.comparison_restore, name="tco-restore"),
    path("savings/tco/<int:pk>/options/new/", tco.option_create, name="tco-option-create"),
    path("savings/tco/options/<int:pk>/edit/", tco.option_edit, name="tco-option-edit"),
    path("savings/tco/options/<int:pk>/archive/", tco.option_archive, name="tco-option-archive"),
]
