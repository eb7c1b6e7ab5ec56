"""Routes of the awards pages: inside users under /awards/ (an event's evaluation under
/awards/events/<event id>/), the winners' portal users under /portal/awards/."""

from django.urls import URLPattern, path

from steward.awards.views import awards, evaluation, portal

app_name = "awards"

urlpatterns: list[URLPattern] = [
    path("awards/", awards.AwardListPage.as_view(), name="award-list"),
    path("awards/<int:pk>/", awards.award_detail, name="award-detail"),
    path("awards/events/<int:pk>/", evaluation.evaluation_page, name="evaluation"),
    path(
        "awards/events/<int:pk>/comparison/", evaluation.comparison_export, name="comparison-export"
    ),
    path(
        "awards/events/<int:pk>/scores/<int:invitation_pk>/",
        evaluation.score_set,
        name="score-set",
    ),
    path("awards/events/<int:pk>/propose/", evaluation.award_propose, name="award-propose"),
    path("awards/events/<int:pk>/approve/", evaluation.award_approve, name="award-approve"),
    path("awards/events/<int:pk>/send-back/", evaluation.award_send_back, name="award-send-back"),
    path("portal/awards/", portal.portal_list, name="portal-list"),
    path("portal/awards/<int:pk>/", portal.portal_award, name="portal-award"),
    path("portal/awards/<int:pk>/confirm/", portal.portal_confirm, name="portal-confirm"),
    path("portal/awards/<int:pk>/decline/", portal.portal_decline, name="portal-decline"),
]
