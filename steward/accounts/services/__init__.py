"""Writes on key accounts, one module per record type; the account's owner and editing team
members (and administrators) change them."""

from steward.accounts.services.common import account_record_archive, account_record_restore
from steward.accounts.services.installed import (
    installed_product_add,
    installed_product_end,
    installed_product_update,
)
from steward.accounts.services.profiles import account_profile_update
from steward.accounts.services.units import buying_unit_create, buying_unit_update
from steward.accounts.services.whitespace import (
    whitespace_cell_create,
    whitespace_cell_update,
    whitespace_fill,
)

__all__ = [
    "account_profile_update",
    "account_record_archive",
    "account_record_restore",
    "buying_unit_create",
    "buying_unit_update",
    "installed_product_add",
    "installed_product_end",
    "installed_product_update",
    "whitespace_cell_create",
    "whitespace_cell_update",
    "whitespace_fill",
]
