"""Routes of the risk pages."""

from django.urls import path

from steward.risk.views import dashboard, findings, register, vendor

app_name = "risk"

urlpatterns = [
    path("risk/", dashboard.dashboard, name="dashboard"),
    path("risk/register/", register.RiskListView.as_view(), name="risk-list"),
    path("risk/register/<int:pk>/", register.risk_detail, name="risk-detail"),
    path("risk/register/<int:pk>/edit/", register.risk_edit, name="risk-edit"),
    path("risk/register/<int:pk>/close/", register.risk_close, name="risk-close"),
    path(
        "risk/relationships/<int:relationship_pk>/risks/new/",
        register.risk_create,
        name="risk-create",
    ),
    path("risk/vendors/<int:supplier_pk>/", vendor.vendor_risk, name="vendor-risk"),
    path("risk/vendors/<int:supplier_pk>/intake/", vendor.risk_profile_edit, name="profile-edit"),
    path(
        "risk/vendors/<int:supplier_pk>/fourth-parties/new/",
        vendor.subcontractor_create,
        name="subcontractor-create",
    ),
    path(
        "risk/fourth-parties/<int:pk>/edit/", vendor.subcontractor_edit, name="subcontractor-edit"
    ),
    path(
        "risk/fourth-parties/<int:pk>/archive/",
        vendor.subcontractor_archive,
        name="subcontractor-archive",
    ),
    path("risk/findings/", findings.FindingListView.as_view(), name="finding-list"),
    path("risk/findings/<int:pk>/", findings.finding_detail, name="finding-detail"),
    path(
        "risk/findings/<int:pk>/transition/",
        findings.finding_transition,
        name="finding-transition",
    ),
    path("risk/findings/<int:pk>/respond/", findings.finding_respond, name="finding-respond"),
]
