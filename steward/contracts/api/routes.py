"""The contracts app's API routes, gathered for the /api/v1/ router, and its single-record paths."""

from __future__ import annotations

from typing import Any

from steward.contracts.api import documents, obligations, renewals, sla
from steward.contracts.api.views import (
    ApprovalRuleViewSet,
    ContractApprovalViewSet,
    ContractViewSet,
    NegotiationEntryViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("contracts", ContractViewSet, "contract"),
    ("contract-approvals", ContractApprovalViewSet, "contract-approval"),
    ("negotiation-entries", NegotiationEntryViewSet, "negotiation-entry"),
    ("approval-rules", ApprovalRuleViewSet, "approval-rule"),
    *documents.ROUTES,
    *obligations.ROUTES,
    *renewals.ROUTES,
    *sla.ROUTES,
]

# Single records outside the router (no collection, no id in the path).
PATHS = [*renewals.PATHS]
