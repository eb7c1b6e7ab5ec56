"""The /api/v1/ router: each app registers its viewsets here."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from steward.core.api.viewsets import ApiNotFoundView
from steward.parties.api.views import (
    ContactViewSet,
    OrganizationViewSet,
    RelationshipMemberViewSet,
    RelationshipViewSet,
    SiteViewSet,
)
from steward.people.api.views import TeamViewSet, UserViewSet

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("sites", SiteViewSet, basename="site")
router.register("contacts", ContactViewSet, basename="contact")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("relationship-members", RelationshipMemberViewSet, basename="relationship-member")
router.register("users", UserViewSet, basename="user")
router.register("teams", TeamViewSet, basename="team")

urlpatterns = [
    *router.urls,
    # Anything else under /api/v1/ answers a JSON 404 rather than the web interface's page.
    re_path(r"^.*$", ApiNotFoundView.as_view(), name="api-not-found"),
]
