"""Routes of the accountplans pages."""

from django.urls import path

from steward.accountplans.views import parts, plans, standard

app_name = "accountplans"

urlpatterns = [
    path("account-plans/", plans.PlanListView.as_view(), name="plan-list"),
    path("account-plans/standard/", standard.standard_detail, name="standard"),
    path("accounts/<int:relationship_pk>/plans/new/", plans.plan_create, name="plan-create"),
    path("account-plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("account-plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("account-plans/<int:pk>/close/", plans.plan_close, name="plan-close"),
    path("account-plans/<int:pk>/archive/", plans.plan_archive, name="plan-archive"),
    path("account-plans/<int:pk>/restore/", plans.plan_restore, name="plan-restore"),
    path("account-plans/<int:pk>/pdf/", plans.plan_pdf, name="plan-pdf"),
    path("account-plans/<int:pk>/reviews/new/", parts.review_record, name="review-record"),
    path("account-plans/<int:pk>/<slug:kind>/new/", parts.part_add, name="part-add"),
    path("account-plan-rows/<slug:kind>/<int:pk>/edit/", parts.part_edit, name="part-edit"),
    path("account-plan-rows/<slug:kind>/<int:pk>/remove/", parts.part_remove, name="part-remove"),
]
