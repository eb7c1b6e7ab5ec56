"""A vendor's page: overview, strategy, initiatives, activities, contacts and history tabs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from steward.contracts.models import Contract
from steward.contracts.selectors_renewals import (
    RELATIONSHIP_CONTRACTS_SHOWN,
    relationship_contracts,
)
from steward.core.access import Action, allows, can_create
from steward.core.charts import chart_page
from steward.core.ui import history_context, render_page
from steward.parties import selectors as parties_selectors
from steward.plans import selectors as plans_selectors
from steward.reviews import selectors as reviews_selectors
from steward.suppliers import playbooks, selectors
from steward.suppliers.choices import InformationSharing, RelationshipType
from steward.suppliers.forms import RACI_FUNCTIONS, SEGMENTATION_INPUTS
from steward.suppliers.models import Supplier
from steward.suppliers.tabs import tab_names, vendor_tab
from steward.suppliers.views.common import field_label
from steward.suppliers.views.performance import performance_context

TABS = (
    "overview",
    "strategy",
    "performance",
    "initiatives",
    "activities",
    "contacts",
    "history",
)


# A chart page as a whole: a tab with a chart (spend) may be swapped in by htmx.
@chart_page
@login_required
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = selectors.supplier_get(user=request.user, pk=pk)
    tabs = tab_names(TABS)
    tab = request.GET.get("tab", "overview")
    if tab not in tabs:
        tab = "overview"
    can_change = allows(request.user, Action.CHANGE, supplier)
    context: dict[str, Any] = {
        "object": supplier,
        "relationship": supplier.relationship,
        "tab": tab,
        "tabs": tabs,
        "can_change": can_change and not supplier.is_archived,
    }
    extra = vendor_tab(tab)
    if extra is not None:
        context["extra_tab_template"] = extra.template
        context.update(extra.context(request, supplier))
    else:
        context.update(TAB_CONTEXT[tab](request, supplier))
    return render_page(request, "suppliers/vendor_detail.html", context, partial="tab")


def lifecycle_context(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    """The stage, its next moves and the checklist: one block, re-rendered after each tick."""
    return {
        "next_stages": selectors.next_stages(supplier=supplier),
        "checklist": selectors.checklist(supplier=supplier),
    }


def _labels(supplier: Supplier, flags: Any = None) -> dict[str, str]:
    governance = playbooks.TYPE_GOVERNANCE.get(supplier.relationship_type)
    labels = {
        "default_sharing_label": InformationSharing(governance.information_sharing).label
        if governance
        else "",
    }
    if flags is not None and flags.default_type:
        labels["suggested_type_label"] = RelationshipType(flags.default_type).label
    return labels


def _overview(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    user = request.user
    flags = selectors.supplier_flags(supplier=supplier)
    return {
        **lifecycle_context(request, supplier),
        **_labels(supplier, flags),
        "today": timezone.localdate(),
        "members": parties_selectors.member_list(user=user, relationship=supplier.relationship),
        "prequalifications": selectors.prequalifications(supplier=supplier),
        "flags": flags,
        "playbook": selectors.playbook_for(supplier=supplier),
        "governance": playbooks.TYPE_GOVERNANCE.get(supplier.relationship_type),
        "policy": selectors.policy(),
        "inputs": [(field_label(name), _display(supplier, name)) for name in SEGMENTATION_INPUTS],
        "transitions": selectors.transitions(supplier=supplier)[:20],
        "segment_changes": selectors.segment_changes(supplier=supplier)[:20],
        **_contracts(request, supplier),
    }


def _contracts(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    """The vendor's contracts (one query), and whether the user may draft another."""
    relationship = supplier.relationship
    return {
        "contracts": list(
            relationship_contracts(user=request.user, relationship=relationship)[
                :RELATIONSHIP_CONTRACTS_SHOWN
            ]
        ),
        "contracts_shown": RELATIONSHIP_CONTRACTS_SHOWN,
        "can_add_contract": not relationship.is_archived
        and can_create(request.user, Contract, parent=relationship),
    }


def _display(supplier: Supplier, name: str) -> Any:
    if name == "supply_nature":
        return supplier.get_supply_nature_display()
    if name == "annual_spend" and supplier.annual_spend is not None:
        return f"{supplier.annual_spend:,.0f}"
    return getattr(supplier, name)


def _strategy(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    strategy = selectors.strategy_for(supplier=supplier)
    raci = strategy.raci if strategy and isinstance(strategy.raci, dict) else {}
    return {
        **_labels(supplier),
        "strategy": strategy,
        "playbook": selectors.playbook_for(supplier=supplier),
        "governance": playbooks.TYPE_GOVERNANCE.get(supplier.relationship_type),
        "raci_functions": RACI_FUNCTIONS,
        "raci_rows": [
            (activity, [parts.get(code, "") for code, _ in RACI_FUNCTIONS])
            for activity, parts in raci.items()
            if isinstance(parts, dict)
        ],
    }


def _performance(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    return performance_context(request, supplier)


def _initiatives(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    return plans_selectors.initiatives_for(user=request.user, relationship=supplier.relationship)


def _activities(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    return reviews_selectors.activities_for(user=request.user, relationship=supplier.relationship)


def _contacts(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    contacts = parties_selectors.contact_list(
        user=request.user, filters={"organization": supplier.relationship.organization_id}
    )
    return {"contacts": contacts}


def _history(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    return history_context(request, supplier)


TAB_CONTEXT = {
    "overview": _overview,
    "strategy": _strategy,
    "performance": _performance,
    "initiatives": _initiatives,
    "activities": _activities,
    "contacts": _contacts,
    "history": _history,
}
