"""The contract list, a contract's page and its workflow actions, the calendar feed."""

from django.urls import path

from steward.contracts import selectors
from steward.contracts.views import actions, contracts
from steward.contracts.views_feed import deadlines_feed
from steward.parties.views.common import archive_view

urlpatterns = [
    path("contracts/", contracts.ContractListView.as_view(), name="contract-list"),
    path(
        "relationships/<int:relationship_pk>/contracts/new/",
        contracts.contract_create,
        name="contract-create",
    ),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/transition/", actions.contract_transition, name="contract-transition"),
    path(
        "contracts/<int:pk>/negotiation/new/",
        actions.negotiation_create,
        name="negotiation-create",
    ),
    path(
        "contracts/<int:pk>/archive/",
        archive_view(selectors.contract_get),
        name="contract-archive",
    ),
    path(
        "contracts/<int:pk>/restore/",
        archive_view(selectors.contract_get, restore=True),
        name="contract-restore",
    ),
    path("contract-approvals/<int:pk>/decide/", actions.approval_decide, name="approval-decide"),
    path("calendar/<str:token>.ics", deadlines_feed, name="deadlines-feed"),
]
