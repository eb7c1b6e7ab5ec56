"""Routes of the scorecard pages."""

from django.urls import path

from steward.scorecards.views import admin, cards, inputs, plans, portfolio

app_name = "scorecards"

urlpatterns = [
    # a relationship's scorecard, the evidence behind a number, actions on a card
    path(
        "relationships/<int:pk>/scorecard/",
        cards.relationship_scorecard,
        name="relationship-scorecard",
    ),
    path(
        "scorecards/cards/<int:pk>/criteria/<int:criterion_pk>/evidence/",
        cards.card_evidence,
        name="card-evidence",
    ),
    path("scorecards/cards/<int:pk>/", cards.card_detail, name="card-detail"),
    path("scorecards/cards/<int:pk>/correct/", cards.card_correct, name="card-correct"),
    path("scorecards/cards/<int:pk>/share/", cards.card_share, name="card-share"),
    path("scorecards/cards/<int:pk>/appeals/", cards.appeal_raise, name="appeal-raise"),
    path("scorecards/appeals/<int:pk>/answer/", cards.appeal_answer, name="appeal-answer"),
    # improvement plans
    path(
        "relationships/<int:pk>/improvement-plans/new/",
        plans.plan_create,
        name="plan-create",
    ),
    path("scorecards/plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("scorecards/plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("scorecards/plans/<int:pk>/close/", plans.plan_close, name="plan-close"),
    path("scorecards/plans/<int:pk>/targets/", plans.target_add, name="target-add"),
    path("scorecards/targets/<int:pk>/met/", plans.target_met, name="target-met"),
    # portfolio
    path("scorecards/heatmap/", portfolio.heatmap, name="heatmap"),
    path("scorecards/ranking/", portfolio.ranking, name="ranking"),
    # templates and periods
    path("scorecards/templates/", admin.template_list, name="template-list"),
    path("scorecards/templates/new/", admin.template_create, name="template-create"),
    path("scorecards/templates/<int:pk>/", admin.template_detail, name="template-detail"),
    path(
        "scorecards/templates/<int:pk>/versions/new/",
        admin.version_create,
        name="version-create",
    ),
    path("scorecards/templates/<int:pk>/standings/", admin.standings_edit, name="standings-edit"),
    path("scorecards/templates/<int:pk>/what-if/", admin.what_if, name="what-if"),
    path("scorecards/periods/", admin.period_list, name="period-list"),
    path("scorecards/periods/<int:pk>/", admin.period_detail, name="period-detail"),
    path("scorecards/periods/<int:pk>/close/", admin.period_close, name="period-close"),
    # inputs
    path("scorecards/surveys/", inputs.my_surveys, name="my-surveys"),
    path(
        "scorecards/survey-responses/<int:pk>/answer/",
        inputs.survey_answer,
        name="survey-answer",
    ),
    path("relationships/<int:pk>/measurements/", inputs.measurements, name="measurements"),
    path(
        "relationships/<int:pk>/measurements/import/",
        inputs.measurement_import,
        name="measurement-import",
    ),
    path(
        "scorecards/measurements/<int:pk>/archive/",
        inputs.measurement_archive,
        name="measurement-archive",
    ),
]
