"""Writes on contracts, one module per part; import from here."""

from steward.contracts.services.contracts import (
    approval_decide,
    approvals_required,
    contract_create,
    contract_roll_forward,
    contract_transition,
    contract_update,
    may_decide,
    negotiation_log,
    pending_approvals,
    stakeholder_add,
)
from steward.contracts.services.documents import document_upload, document_version_add
from steward.contracts.services.obligations import (
    evidence_upload,
    obligation_add,
    obligation_alerts_deliver,
    obligation_complete,
    obligation_complete_with_evidence,
    obligation_update,
    obligation_waive,
)
from steward.contracts.services.renewals import (
    contracts_roll_forward_all,
    reminder_policy,
    reminder_policy_update,
    renewal_decide,
    renewal_reminders_deliver,
)
from steward.contracts.services.rules import (
    approval_rule_archive,
    approval_rule_create,
    approval_rule_restore,
    approval_rule_update,
)
from steward.contracts.services.sla import (
    measurement_record,
    measurement_update,
    service_level_add,
    service_level_update,
)
from steward.contracts.services.sla_periods import credit_mark, sla_period_evaluate
from steward.contracts.services.stakeholders import stakeholder_remove

__all__ = [
    "approval_decide",
    "approval_rule_archive",
    "approval_rule_create",
    "approval_rule_restore",
    "approval_rule_update",
    "approvals_required",
    "contract_create",
    "contract_roll_forward",
    "contract_transition",
    "contract_update",
    "contracts_roll_forward_all",
    "credit_mark",
    "document_upload",
    "document_version_add",
    "evidence_upload",
    "may_decide",
    "measurement_record",
    "measurement_update",
    "negotiation_log",
    "obligation_add",
    "obligation_alerts_deliver",
    "obligation_complete",
    "obligation_complete_with_evidence",
    "obligation_update",
    "obligation_waive",
    "pending_approvals",
    "reminder_policy",
    "reminder_policy_update",
    "renewal_decide",
    "renewal_reminders_deliver",
    "service_level_add",
    "service_level_update",
    "sla_period_evaluate",
    "stakeholder_add",
    "stakeholder_remove",
]
