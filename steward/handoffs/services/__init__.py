"""The handoffs app's write path: one module per entity."""

from steward.handoffs.services.handoffs import (
    handoff_accept,
    handoff_cancel,
    handoff_complete,
    handoff_create,
    handoff_send_back,
    handoff_submit,
    handoff_update,
    open_item_titles,
    submit_problems,
)
from steward.handoffs.services.items import (
    item_add,
    item_close,
    item_remove,
    item_reopen,
    item_update,
)

__all__ = [
    "handoff_accept",
    "handoff_cancel",
    "handoff_complete",
    "handoff_create",
    "handoff_send_back",
    "handoff_submit",
    "handoff_update",
    "item_add",
    "item_close",
    "item_remove",
    "item_reopen",
    "item_update",
    "open_item_titles",
    "submit_problems",
]
