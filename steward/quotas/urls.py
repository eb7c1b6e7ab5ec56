"""Routes of the quotas pages."""

from django.urls import path

from steward.quotas.views import accountability, facts, quotas, training

app_name = "quotas"

urlpatterns = [
    path("quotas/", quotas.attainment, name="attainment"),
    path("quotas/team/", quotas.team, name="team"),
    path("quotas/list/", quotas.QuotaListPage.as_view(), name="quota-list"),
    path("quotas/new/", quotas.quota_new, name="quota-new"),
    path("quotas/import/", quotas.quota_import, name="quota-import"),
    path("quotas/<int:pk>/edit/", quotas.quota_edit, name="quota-edit"),
    path("quotas/<int:pk>/archive/", quotas.quota_archive, name="quota-archive"),
    path("quotas/revenue/", facts.RevenueListPage.as_view(), name="revenue-list"),
    path("quotas/revenue/new/", facts.revenue_new, name="revenue-new"),
    path("quotas/revenue/import/", facts.revenue_import, name="revenue-import"),
    path("quotas/revenue/<int:pk>/edit/", facts.revenue_edit, name="revenue-edit"),
    path("quotas/revenue/<int:pk>/archive/", facts.revenue_archive, name="revenue-archive"),
    path("quotas/service-costs/", facts.ServiceCostListPage.as_view(), name="cost-list"),
    path("quotas/service-costs/new/", facts.cost_new, name="cost-new"),
    path("quotas/service-costs/import/", facts.cost_import, name="cost-import"),
    path("quotas/service-costs/<int:pk>/edit/", facts.cost_edit, name="cost-edit"),
    path("quotas/service-costs/<int:pk>/archive/", facts.cost_archive, name="cost-archive"),
    path("quotas/training/", training.TrainingListPage.as_view(), name="training-list"),
    path("quotas/training/new/", training.training_new, name="training-new"),
    path(
        "quotas/training/<int:pk>/complete/", training.training_complete, name="training-complete"
    ),
    path("accountability/", accountability.dashboard, name="accountability"),
]
