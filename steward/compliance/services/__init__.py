"""Writes of the compliance app: the only way its records change."""

from steward.compliance.services.alerts import certification_alerts_deliver
from steward.compliance.services.audits import (
    audit_archive,
    audit_evidence_add,
    audit_finding_raise,
    audit_plan,
    audit_restore,
    audit_transition,
    audit_update,
)
from steward.compliance.services.certifications import (
    certification_add,
    certification_archive,
    certification_renew,
    certification_restore,
    certification_update,
)
from steward.compliance.services.requests import (
    document_request_cancel,
    document_request_create,
    document_request_fulfil,
)

__all__ = [
    "audit_archive",
    "audit_evidence_add",
    "audit_finding_raise",
    "audit_plan",
    "audit_restore",
    "audit_transition",
    "audit_update",
    "certification_add",
    "certification_alerts_deliver",
    "certification_archive",
    "certification_renew",
    "certification_restore",
    "certification_update",
    "document_request_cancel",
    "document_request_create",
    "document_request_fulfil",
]
