"""The quotas app's write path."""

from steward.quotas.services.facts import (
    account_revenue_archive,
    account_revenue_import,
    account_revenue_record,
    account_revenue_restore,
    account_revenue_update,
    service_cost_archive,
    service_cost_record,
    service_cost_restore,
    service_cost_update,
    service_costs_import,
)
from steward.quotas.services.quotas import (
    may_set_quota,
    quota_archive,
    quota_restore,
    quota_set,
    quota_update,
    quotas_import,
)
from steward.quotas.services.training import (
    may_complete,
    training_objective_archive,
    training_objective_complete,
    training_objective_restore,
    training_objective_set,
    training_objective_update,
)

__all__ = [
    "account_revenue_archive",
    "account_revenue_import",
    "account_revenue_record",
    "account_revenue_restore",
    "account_revenue_update",
    "may_complete",
    "may_set_quota",
    "quota_archive",
    "quota_restore",
    "quota_set",
    "quota_update",
    "quotas_import",
    "service_cost_archive",
    "service_cost_record",
    "service_cost_restore",
    "service_cost_update",
    "service_costs_import",
    "training_objective_archive",
    "training_objective_complete",
    "training_objective_restore",
    "training_objective_set",
    "training_objective_update",
]
