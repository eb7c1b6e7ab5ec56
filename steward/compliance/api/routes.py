"""The compliance app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.compliance.api.views import (
    AuditEvidenceViewSet,
    AuditViewSet,
    CertificationViewSet,
    DocumentRequestViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("certifications", CertificationViewSet, "certification"),
    ("document-requests", DocumentRequestViewSet, "document-request"),
    ("audits", AuditViewSet, "audit"),
    ("audit-evidence", AuditEvidenceViewSet, "audit-evidence"),
]
PATHS: list[Any] = []
