"""Writes on account plans: one module per entity, every one through the access policy.

Re-exported here so callers write ``services.plan_create(...)``.
"""

from steward.accountplans.services.links import (
    action_link_add,
    action_link_create,
    action_link_remove,
    action_link_update,
    initiative_link_add,
    initiative_link_remove,
    initiative_link_update,
)
from steward.accountplans.services.objectives import (
    objective_add,
    objective_remove,
    objective_update,
)
from steward.accountplans.services.plans import (
    plan_archive,
    plan_close,
    plan_create,
    plan_restore,
    plan_review_record,
    plan_update,
)
from steward.accountplans.services.stakeholders import (
    stakeholder_add,
    stakeholder_remove,
    stakeholder_update,
)
from steward.accountplans.services.standard import standard_update

__all__ = [
    "action_link_add",
    "action_link_create",
    "action_link_remove",
    "action_link_update",
    "initiative_link_add",
    "initiative_link_remove",
    "initiative_link_update",
    "objective_add",
    "objective_remove",
    "objective_update",
    "plan_archive",
    "plan_close",
    "plan_create",
    "plan_restore",
    "plan_review_record",
    "plan_update",
    "stakeholder_add",
    "stakeholder_remove",
    "stakeholder_update",
    "standard_update",
]
