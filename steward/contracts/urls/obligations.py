"""Routes of the contracts app's obligations pages, and of the stakeholders tab's actions."""

from django.urls import URLPattern, path

from steward.contracts.views import obligations, stakeholders

urlpatterns: list[URLPattern] = [
    path("obligations/", obligations.ObligationListView.as_view(), name="obligation-list"),
    path(
        "contracts/<int:pk>/obligations/new/",
        obligations.obligation_create,
        name="obligation-create",
    ),
    path("obligations/<int:pk>/", obligations.obligation_detail, name="obligation-detail"),
    path("obligations/<int:pk>/edit/", obligations.obligation_edit, name="obligation-edit"),
    path(
        "obligations/<int:pk>/complete/",
        obligations.obligation_complete,
        name="obligation-complete",
    ),
    path("obligations/<int:pk>/waive/", obligations.obligation_waive, name="obligation-waive"),
    path(
        "obligations/<int:pk>/evidence/",
        obligations.evidence_upload,
        name="obligation-evidence-upload",
    ),
    path(
        "obligation-evidence/<int:pk>/download/",
        obligations.evidence_download,
        name="obligation-evidence-download",
    ),
    path(
        "contracts/<int:pk>/stakeholders/new/",
        stakeholders.stakeholder_add,
        name="stakeholder-add",
    ),
    path(
        "contract-stakeholders/<int:pk>/remove/",
        stakeholders.stakeholder_remove,
        name="stakeholder-remove",
    ),
]
