"""Routes of the assessments pages: inside users under /assessments/, the vendor's portal users
under /portal/assessments/."""

from django.urls import URLPattern, path

from steward.assessments import views

app_name = "assessments"

urlpatterns: list[URLPattern] = [
    path("assessments/", views.AssessmentListPage.as_view(), name="assessment-list"),
    path("assessments/new/", views.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path(
        "assessments/<int:pk>/<str:action>/",
        views.assessment_action,
        name="assessment-action",
    ),
    path("assessments/answers/<int:pk>/review/", views.answer_review, name="answer-review"),
    path(
        "assessments/evidence/<int:pk>/download/",
        views.evidence_download,
        name="evidence-download",
    ),
    path("assessments/templates/", views.TemplateListPage.as_view(), name="template-list"),
    path("assessments/templates/<int:pk>/", views.template_detail, name="template-detail"),
    path("assessments/versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("portal/assessments/", views.portal_list, name="portal-list"),
    path("portal/assessments/<int:pk>/", views.portal_assessment, name="portal-assessment"),
]
