"""Routes of the pipeline pages."""

from django.urls import URLPattern, path

from steward.pipeline.views import forecast, opportunities, parts

app_name = "pipeline"

urlpatterns: list[URLPattern] = [
    path("pipeline/", opportunities.opportunity_list, name="opportunity-list"),
    path("pipeline/new/", opportunities.opportunity_new, name="opportunity-new"),
    path("pipeline/forecast/", forecast.forecast_page, name="forecast"),
    path("pipeline/calibration/", forecast.calibration_page, name="calibration"),
    path(
        "pipeline/from-cell/<int:pk>/",
        opportunities.opportunity_from_cell,
        name="opportunity-from-cell",
    ),
    path("pipeline/<int:pk>/", opportunities.opportunity_detail, name="opportunity-detail"),
    path("pipeline/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity-edit"),
    path("pipeline/<int:pk>/move/", opportunities.opportunity_move, name="opportunity-move"),
    path("pipeline/<int:pk>/win/", opportunities.opportunity_win, name="opportunity-win"),
    path("pipeline/<int:pk>/lose/", opportunities.opportunity_lose, name="opportunity-lose"),
    path("pipeline/<int:pk>/reopen/", opportunities.opportunity_reopen, name="opportunity-reopen"),
    path(
        "pipeline/<int:pk>/archive/", opportunities.opportunity_archive, name="opportunity-archive"
    ),
    path("pipeline/<int:pk>/lines/", parts.line_add, name="line-add"),
    path("pipeline/lines/<int:pk>/edit/", parts.line_edit, name="line-edit"),
    path("pipeline/<int:pk>/contacts/", parts.contact_add, name="contact-add"),
    path("pipeline/<int:pk>/credits/", parts.credits_set, name="credits-set"),
    path("pipeline/<int:pk>/proposals/", parts.proposal_upload, name="proposal-upload"),
    path(
        "pipeline/proposals/<int:pk>/download/", parts.proposal_download, name="proposal-download"
    ),
    path("pipeline/<str:part>/<int:pk>/remove/", parts.part_remove, name="part-remove"),
]
