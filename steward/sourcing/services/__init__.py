"""The sourcing app's write path (and the few reads the apps above call with it)."""

from steward.sourcing.services.attachments import attachment_add, attachment_remove
from steward.sourcing.services.clarifications import (
    clarification_answer,
    clarification_ask,
    clarification_post,
    clarification_publish,
    published_for,
)
from steward.sourcing.services.criteria import (
    criteria_problem,
    criterion_add,
    criterion_remove,
    criterion_update,
)
from steward.sourcing.services.events import (
    event_cancel,
    event_create,
    event_publish,
    event_update,
    publish_problems,
)
from steward.sourcing.services.invitations import invitation_create, invitation_decline
from steward.sourcing.services.lines import (
    bidder_question_add,
    bidder_question_remove,
    bidder_question_update,
    line_add,
    line_remove,
    line_update,
)
from steward.sourcing.services.log import log_event
from steward.sourcing.services.members import member_add, member_remove, member_update
from steward.sourcing.services.status import close_due_events, ensure_closed, set_status

__all__ = [
    "attachment_add",
    "attachment_remove",
    "bidder_question_add",
    "bidder_question_remove",
    "bidder_question_update",
    "clarification_answer",
    "clarification_ask",
    "clarification_post",
    "clarification_publish",
    "close_due_events",
    "criteria_problem",
    "criterion_add",
    "criterion_remove",
    "criterion_update",
    "ensure_closed",
    "event_cancel",
    "event_create",
    "event_publish",
    "event_update",
    "invitation_create",
    "invitation_decline",
    "line_add",
    "line_remove",
    "line_update",
    "log_event",
    "member_add",
    "member_remove",
    "member_update",
    "publish_problems",
    "published_for",
    "set_status",
]
