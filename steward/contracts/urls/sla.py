"""Routes of the contracts app's service-level pages and actions."""

from django.urls import path

from steward.contracts.views import sla

urlpatterns = [
    path(
        "contracts/<int:pk>/service-levels/new/",
        sla.service_level_create,
        name="service-level-create",
    ),
    path("service-levels/<int:pk>/edit/", sla.service_level_edit, name="service-level-edit"),
    path("service-levels/<int:pk>/evaluate/", sla.period_evaluate, name="service-level-evaluate"),
    path(
        "contracts/<int:pk>/sla-measurements/new/",
        sla.measurement_create,
        name="sla-measurement-create",
    ),
    path(
        "contracts/<int:pk>/sla-measurements/import/",
        sla.measurements_import_page,
        name="sla-measurement-import",
    ),
    path("service-credits/<int:pk>/mark/", sla.credit_mark, name="service-credit-mark"),
]
