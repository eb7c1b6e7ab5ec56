"""How risk plugs into the shared screens: navigation, the vendor page's risk tab, the daily
score refresh."""

from __future__ import annotations

from typing import Any

from steward.core.registry import NavEntry, register_nav
from steward.suppliers.tabs import VendorTab, register_vendor_tab


def _risk_tab(request: Any, supplier: Any) -> dict[str, Any]:
    from steward.risk.views.vendor import risk_tab_context

    return risk_tab_context(request, supplier)


def register() -> None:
    """Called once from RiskConfig.ready."""
    from steward.risk.tasks import schedule

    register_nav(NavEntry("Risk", "risk:dashboard", "supply", order=14, match_prefix="/risk/"))
    register_vendor_tab(VendorTab("risk", "risk/vendor_tab.html", _risk_tab, after="spend"))
    schedule()
