"""Routes of the satisfaction pages, and the customer's public survey page."""

from django.urls import URLPattern, path

from steward.parties.views.common import archive_view
from steward.satisfaction import selectors
from steward.satisfaction.views import pages, responses

app_name = "satisfaction"

urlpatterns: list[URLPattern] = [
    path("satisfaction/", pages.overview, name="overview"),
    path("satisfaction/responses/", responses.ResponseListView.as_view(), name="response-list"),
    path("satisfaction/responses/import/", responses.response_import, name="response-import"),
    path("satisfaction/responses/<int:pk>/", responses.response_detail, name="response-detail"),
    path("satisfaction/responses/<int:pk>/edit/", responses.response_edit, name="response-edit"),
    path(
        "satisfaction/responses/<int:pk>/archive/",
        archive_view(selectors.response_get),
        name="response-archive",
    ),
    path(
        "satisfaction/responses/<int:pk>/restore/",
        archive_view(selectors.response_get, restore=True),
        name="response-restore",
    ),
    path(
        "satisfaction/accounts/<int:account_pk>/responses/new/",
        responses.response_create,
        name="response-create",
    ),
    path("satisfaction/accounts/<int:account_pk>/survey/", pages.survey_send, name="survey-send"),
    path("satisfaction/warnings/", pages.warnings, name="warnings"),
    path("satisfaction/not-met/", pages.not_met, name="not-met"),
    path("satisfaction/standard/", pages.standard, name="standard"),
    path("satisfaction/cadence/<int:pk>/", pages.cadence_edit, name="cadence-edit"),
    path("survey/<str:token>/", pages.survey_public, name="survey-answer"),
]
