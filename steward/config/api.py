"""The /api/v1/ router: each app registers its viewsets here."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from steward.accountplans.api.routes import PATHS as ACCOUNTPLANS_PATHS
from steward.accountplans.api.routes import ROUTES as ACCOUNTPLANS_ROUTES
from steward.accounts.api.routes import PATHS as ACCOUNTS_PATHS
from steward.accounts.api.routes import ROUTES as ACCOUNTS_ROUTES
from steward.assessments.api.routes import PATHS as ASSESSMENTS_PATHS
from steward.assessments.api.routes import ROUTES as ASSESSMENTS_ROUTES
from steward.awards.api.routes import PATHS as AWARDS_PATHS
from steward.awards.api.routes import ROUTES as AWARDS_ROUTES
from steward.bidding.api.routes import PATHS as BIDDING_PATHS
from steward.bidding.api.routes import ROUTES as BIDDING_ROUTES
from steward.catalog.api.routes import PATHS as CATALOG_PATHS
from steward.catalog.api.routes import ROUTES as CATALOG_ROUTES
from steward.compliance.api.routes import PATHS as COMPLIANCE_PATHS
from steward.compliance.api.routes import ROUTES as COMPLIANCE_ROUTES
from steward.contracts.api.routes import PATHS as CONTRACT_PATHS
from steward.contracts.api.routes import ROUTES as CONTRACT_ROUTES
from steward.core.api.notifications import NotificationViewSet
from steward.core.api.viewsets import ApiNotFoundView
from steward.handoffs.api.routes import PATHS as HANDOFFS_PATHS
from steward.handoffs.api.routes import ROUTES as HANDOFFS_ROUTES
from steward.issues.api.routes import PATHS as ISSUE_PATHS
from steward.issues.api.routes import ROUTES as ISSUE_ROUTES
from steward.parties.api.views import (
    ContactViewSet,
    OrganizationViewSet,
    RelationshipMemberViewSet,
    RelationshipViewSet,
    SiteViewSet,
)
from steward.people.api.views import TeamViewSet, UserViewSet
from steward.pipeline.api.routes import PATHS as PIPELINE_PATHS
from steward.pipeline.api.routes import ROUTES as PIPELINE_ROUTES
from steward.plans.api.views import InitiativeViewSet, MilestoneViewSet
from steward.portal.api.routes import PATHS as PORTAL_PATHS
from steward.portal.api.routes import ROUTES as PORTAL_ROUTES
from steward.quotas.api.routes import PATHS as QUOTAS_PATHS
from steward.quotas.api.routes import ROUTES as QUOTAS_ROUTES
from steward.reviews.api.routes import ROUTES as REVIEW_ROUTES
from steward.reviews.api.views import ActivityViewSet
from steward.risk.api.routes import PATHS as RISK_PATHS
from steward.risk.api.routes import ROUTES as RISK_ROUTES
from steward.satisfaction.api.routes import PATHS as SATISFACTION_PATHS
from steward.satisfaction.api.routes import ROUTES as SATISFACTION_ROUTES
from steward.savings.api.routes import ROUTES as SAVINGS_ROUTES
from steward.scorecards.api.routes import PATHS as SCORECARD_PATHS
from steward.scorecards.api.routes import ROUTES as SCORECARD_ROUTES
from steward.sourcing.api.routes import PATHS as SOURCING_PATHS
from steward.sourcing.api.routes import ROUTES as SOURCING_ROUTES
from steward.spend.api.routes import PATHS as SPEND_PATHS
from steward.spend.api.routes import ROUTES as SPEND_ROUTES
from steward.suppliers.api.reference import (
    CategoryViewSet,
    SegmentationPolicyViewSet,
    SegmentPlaybookViewSet,
)
from steward.suppliers.api.strategy import (
    NegotiationLeverViewSet,
    StrategyKpiViewSet,
    SupplierStrategyViewSet,
)
from steward.suppliers.api.views import (
    ChecklistItemViewSet,
    LifecycleTransitionViewSet,
    PrequalificationViewSet,
    SegmentChangeViewSet,
    VendorViewSet,
)
from steward.visits.api.routes import PATHS as VISITS_PATHS
from steward.visits.api.routes import ROUTES as VISITS_ROUTES

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("sites", SiteViewSet, basename="site")
router.register("contacts", ContactViewSet, basename="contact")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("relationship-members", RelationshipMemberViewSet, basename="relationship-member")
router.register("users", UserViewSet, basename="user")
router.register("teams", TeamViewSet, basename="team")
router.register("notifications", NotificationViewSet, basename="notification")
# The supply side.
router.register("vendors", VendorViewSet, basename="vendor")
router.register("vendor-checklist-items", ChecklistItemViewSet, basename="vendor-checklist-item")
router.register("prequalifications", PrequalificationViewSet, basename="prequalification")
router.register(
    "lifecycle-transitions", LifecycleTransitionViewSet, basename="lifecycle-transition"
)
router.register("segment-changes", SegmentChangeViewSet, basename="segment-change")
router.register("categories", CategoryViewSet, basename="category")
router.register("segment-playbooks", SegmentPlaybookViewSet, basename="segment-playbook")
router.register("supplier-strategies", SupplierStrategyViewSet, basename="supplier-strategy")
router.register("strategy-kpis", StrategyKpiViewSet, basename="strategy-kpi")
router.register("negotiation-levers", NegotiationLeverViewSet, basename="negotiation-lever")
# Plans and reviews (both sides).
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("activities", ActivityViewSet, basename="activity")
# Contracts, issues, scorecards and business reviews (both sides).
for prefix, viewset, basename in [
    *CONTRACT_ROUTES,
    *ISSUE_ROUTES,
    *SCORECARD_ROUTES,
    *REVIEW_ROUTES,
    *SPEND_ROUTES,
    *SAVINGS_ROUTES,
    *RISK_ROUTES,
    *COMPLIANCE_ROUTES,
    *ASSESSMENTS_ROUTES,
    *PORTAL_ROUTES,
    *SOURCING_ROUTES,
    *BIDDING_ROUTES,
    *AWARDS_ROUTES,
    *CATALOG_ROUTES,
    *ACCOUNTS_ROUTES,
    *PIPELINE_ROUTES,
    *QUOTAS_ROUTES,
    *ACCOUNTPLANS_ROUTES,
    *SATISFACTION_ROUTES,
    *HANDOFFS_ROUTES,
    *VISITS_ROUTES,
]:
    router.register(prefix, viewset, basename=basename)

# The segmentation policy is one record: no collection, no id in the path.
segmentation_policy = [
    path(
        "segmentation-policy/",
        SegmentationPolicyViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="segmentation-policy",
    ),
    path(
        "segmentation-policy/history/",
        SegmentationPolicyViewSet.as_view({"get": "history"}),
        name="segmentation-policy-history",
    ),
]

urlpatterns = [
    *router.urls,
    *segmentation_policy,
    *CONTRACT_PATHS,
    *ISSUE_PATHS,
    *SCORECARD_PATHS,
    *SPEND_PATHS,
    *RISK_PATHS,
    *COMPLIANCE_PATHS,
    *ASSESSMENTS_PATHS,
    *PORTAL_PATHS,
    *SOURCING_PATHS,
    *BIDDING_PATHS,
    *AWARDS_PATHS,
    *CATALOG_PATHS,
    *ACCOUNTS_PATHS,
    *PIPELINE_PATHS,
    *QUOTAS_PATHS,
    *ACCOUNTPLANS_PATHS,
    *SATISFACTION_PATHS,
    *HANDOFFS_PATHS,
    *VISITS_PATHS,
    # Anything else under /api/v1/ answers a JSON 404 rather than the web interface's page
    # (a path with a line break in it too, which ``.`` would not match).
    re_path(r"^[\s\S]*$", ApiNotFoundView.as_view(), name="api-not-found"),
]
