"""Routes of the compliance pages."""

from django.urls import URLPattern, path

from steward.compliance import views

app_name = "compliance"

urlpatterns: list[URLPattern] = [
    path(
        "compliance/certificates/",
        views.CertificationListView.as_view(),
        name="certification-list",
    ),
    path("compliance/certificates/new/", views.certification_create, name="certification-create"),
    path(
        "compliance/certificates/<int:pk>/",
        views.certification_detail,
        name="certification-detail",
    ),
    path(
        "compliance/certificates/<int:pk>/edit/",
        views.certification_edit,
        name="certification-edit",
    ),
    path(
        "compliance/certificates/<int:pk>/renew/",
        views.certification_renew,
        name="certification-renew",
    ),
    path(
        "compliance/certificates/<int:pk>/archive/",
        views.certification_archive,
        name="certification-archive",
    ),
    path(
        "compliance/certificates/<int:pk>/restore/",
        views.certification_restore,
        name="certification-restore",
    ),
    path(
        "compliance/certificates/<int:pk>/file/",
        views.certification_download,
        name="certification-download",
    ),
    path("compliance/requests/", views.DocumentRequestListView.as_view(), name="request-list"),
    path("compliance/requests/new/", views.document_request_create, name="request-create"),
    path("compliance/requests/<int:pk>/", views.document_request_detail, name="request-detail"),
    path(
        "compliance/requests/<int:pk>/fulfil/",
        views.document_request_fulfil,
        name="request-fulfil",
    ),
    path(
        "compliance/requests/<int:pk>/cancel/",
        views.document_request_cancel,
        name="request-cancel",
    ),
    path("compliance/audits/", views.AuditListView.as_view(), name="audit-list"),
    path("compliance/audits/new/", views.audit_create, name="audit-create"),
    path("compliance/audits/<int:pk>/", views.audit_detail, name="audit-detail"),
    path(
        "compliance/audits/<int:pk>/transition/",
        views.audit_transition,
        name="audit-transition",
    ),
    path(
        "compliance/audits/<int:pk>/evidence/",
        views.audit_evidence_add,
        name="audit-evidence-add",
    ),
    path(
        "compliance/audits/<int:pk>/findings/",
        views.audit_finding_raise,
        name="audit-finding-raise",
    ),
    path(
        "compliance/evidence/<int:pk>/file/",
        views.evidence_download,
        name="evidence-download",
    ),
]
