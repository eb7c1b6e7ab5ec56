"""Routes of the approval rules pages."""

from django.urls import path

from steward.contracts.views import rules

urlpatterns = [
    path("approval-rules/", rules.ApprovalRuleListView.as_view(), name="approval-rule-list"),
    path("approval-rules/new/", rules.approval_rule_create, name="approval-rule-create"),
    path("approval-rules/preview/", rules.approval_rule_preview, name="approval-rule-preview"),
    path("approval-rules/<int:pk>/edit/", rules.approval_rule_edit, name="approval-rule-edit"),
    path(
        "approval-rules/<int:pk>/archive/",
        rules.approval_rule_archive,
        name="approval-rule-archive",
    ),
    path(
        "approval-rules/<int:pk>/restore/",
        rules.approval_rule_restore,
        name="approval-rule-restore",
    ),
]
