from django.urls import path

from steward.issues.views import issues, ladder

app_name = "issues"

urlpatterns = [
    path("issues/", issues.IssueListView.as_view(), name="issue-list"),
    path(
        "relationships/<int:relationship_pk>/issues/new/",
        issues.issue_create,
        name="issue-create",
    ),
    path("issues/<int:pk>/", issues.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/edit/", issues.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/transition/", issues.issue_transition, name="issue-transition"),
    path("issues/<int:pk>/escalate/", issues.issue_escalate, name="issue-escalate"),
    path(
        "relationships/<int:relationship_pk>/escalation-ladder/",
        ladder.escalation_ladder,
        name="escalation-ladder",
    ),
    path(
        "escalation-levels/<int:pk>/edit/",
        ladder.escalation_level_edit,
        name="escalation-level-edit",
    ),
    path(
        "escalation-levels/<int:pk>/archive/",
        ladder.escalation_level_archive,
        name="escalation-level-archive",
    ),
    path("issues/targets/", ladder.severity_targets, name="severity-targets"),
    path("issues/targets/<int:pk>/edit/", ladder.severity_target_edit, name="severity-target-edit"),
]
