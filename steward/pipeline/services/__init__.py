"""The pipeline app's write path."""

from steward.pipeline.services.cells import opportunity_from_cell, penetration_for
from steward.pipeline.services.lines import line_add, line_remove, line_update
from steward.pipeline.services.opportunities import (
    group_organization_ids,
    opportunity_archive,
    opportunity_create,
    opportunity_lose,
    opportunity_move,
    opportunity_reopen,
    opportunity_restore,
    opportunity_update,
    opportunity_win,
)
from steward.pipeline.services.people import (
    contact_add,
    contact_remove,
    contact_update,
    credit_shares,
    credits_set,
)
from steward.pipeline.services.proposals import proposal_archive, proposal_upload

__all__ = [
    "contact_add",
    "contact_remove",
    "contact_update",
    "credit_shares",
    "credits_set",
    "group_organization_ids",
    "line_add",
    "line_remove",
    "line_update",
    "opportunity_archive",
    "opportunity_create",
    "opportunity_from_cell",
    "opportunity_lose",
    "opportunity_move",
    "opportunity_reopen",
    "opportunity_restore",
    "opportunity_update",
    "opportunity_win",
    "penetration_for",
    "proposal_archive",
    "proposal_upload",
]
