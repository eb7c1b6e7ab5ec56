from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from steward.core.views import healthz

urlpatterns = [
    path("", include("steward.insights.urls")),
    path("", include("steward.people.urls")),
    path("", include("steward.parties.urls")),
    path("", include("steward.suppliers.urls")),
    path("", include("steward.plans.urls")),
    path("", include("steward.reviews.urls")),
    path("", include("steward.contracts.urls")),
    path("", include("steward.issues.urls")),
    path("", include("steward.scorecards.urls")),
    path("", include("steward.spend.urls")),
    path("", include("steward.savings.urls")),
    path("", include("steward.risk.urls")),
    path("", include("steward.compliance.urls")),
    path("", include("steward.assessments.urls")),
    path("", include("steward.portal.urls")),
    path("", include("steward.sourcing.urls")),
    path("", include("steward.bidding.urls")),
    path("", include("steward.awards.urls")),
    path("", include("steward.catalog.urls")),
    path("", include("steward.accounts.urls")),
    path("", include("steward.pipeline.urls")),
    path("", include("steward.quotas.urls")),
    path("", include("steward.accountplans.urls")),
    path("", include("steward.satisfaction.urls")),
    path("", include("steward.handoffs.urls")),
    path("", include("steward.visits.urls")),
    path("", include("steward.core.urls")),
    path("api/v1/", include("steward.config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI styles itself with an inline <style>; only this page may use inline styles.
    path(
        "api/docs/",
        csp_update({"style-src": [SELF, UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
]

handler400 = "steward.core.views.bad_request"
handler403 = "steward.core.views.permission_denied"
handler404 = "steward.core.views.page_not_found"
handler500 = "steward.core.views.server_error"
