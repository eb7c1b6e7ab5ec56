"""The contracts app's routes, one module per area."""

from steward.contracts.urls import contracts, documents, obligations, renewals, rules, sla

app_name = "contracts"

urlpatterns = [
    *contracts.urlpatterns,
    *documents.urlpatterns,
    *obligations.urlpatterns,
    *renewals.urlpatterns,
    *rules.urlpatterns,
    *sla.urlpatterns,
]
