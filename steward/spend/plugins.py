"""How spend plugs into the shared screens: navigation and the vendor page's spend tab."""

from __future__ import annotations

from typing import Any

from steward.core.registry import NavEntry, register_nav
from steward.suppliers.tabs import VendorTab, register_vendor_tab


def _spend_tab(request: Any, supplier: Any) -> dict[str, Any]:
    # Imported when the tab is opened: the views import the analytics, not needed at start-up.
    from steward.spend.views.vendor_tab import spend_tab_context

    return spend_tab_context(request, supplier)


def register() -> None:
    """Called once from SpendConfig.ready."""
    register_nav(NavEntry("Spend", "spend:overview", "supply", order=13, match_prefix="/spend/"))
    register_vendor_tab(VendorTab("spend", "spend/vendor_tab.html", _spend_tab))
